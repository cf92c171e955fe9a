//! `browser` — being built (see ARCHITECTURE.md).

pub(crate) fn run(_args: &[String]) -> anyhow::Result<()> {
    anyhow::bail!("browser is not built yet")
}
