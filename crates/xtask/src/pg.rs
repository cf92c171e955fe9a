//! `pg` — being built (see ARCHITECTURE.md).

pub(crate) fn run(_args: &[String]) -> anyhow::Result<()> {
    anyhow::bail!("pg is not built yet")
}
