//! `serve` — being built (see ARCHITECTURE.md).

pub(crate) fn run(_args: &[String]) -> anyhow::Result<()> {
    anyhow::bail!("serve is not built yet")
}
