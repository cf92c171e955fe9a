//! `bench_server` — being built (see ARCHITECTURE.md).

pub(crate) fn run(_args: &[String]) -> anyhow::Result<()> {
    anyhow::bail!("bench_server is not built yet")
}
