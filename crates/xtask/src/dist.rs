//! `dist` — being built (see ARCHITECTURE.md).

pub(crate) fn run(_args: &[String]) -> anyhow::Result<()> {
    anyhow::bail!("dist is not built yet")
}
