//! `cargo xtask test`: everything CI checks.

pub(crate) fn run(_args: &[String]) -> anyhow::Result<()> {
    crate::run_cmd(std::process::Command::new("cargo").args(["test", "--workspace"]))
}
