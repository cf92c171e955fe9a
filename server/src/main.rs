//! `kc-server serve [--bind ADDR] [--config FILE]` and `kc-server migrate [--config FILE]`.

use std::path::PathBuf;

use server::{Application, Settings};

/// mimalloc: the submit path is allocation-heavy (JSON in, decision, JSON out), and the
/// system allocator's arena locking showed in profiles under concurrent load.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: kc-server [serve [--bind ADDR] | migrate | key] [--config FILE] | staff (add|token) … | impact --pack FILE … | adopt [--config FILE]";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    server::telemetry::init();
    let mut args = std::env::args().skip(1);
    let mut command = None;
    let mut bind = None;
    let mut config = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "serve" | "migrate" | "key" if command.is_none() => command = Some(arg),
            "staff" if command.is_none() => return server::staff::cli::run(args.collect()).await,
            "impact" if command.is_none() => return server::impact::cli(args.collect()).await,
            "adopt" if command.is_none() => return server::adopt::cli(args.collect()).await,
            "--bind" => bind = Some(args.next().ok_or_else(|| anyhow::anyhow!("--bind needs an address\n{USAGE}"))?),
            "--config" => {
                config =
                    Some(PathBuf::from(args.next().ok_or_else(|| anyhow::anyhow!("--config needs a file\n{USAGE}"))?))
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => anyhow::bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let mut settings = Settings::load(config.as_deref())?;
    if let Some(bind) = bind {
        settings.bind = bind;
    }
    match command.as_deref().unwrap_or("serve") {
        // The receipt signing key's public half, as `GET /api/v1/keys` serves it (made on
        // first use, like at start), to publish it where applicants and auditors find it.
        "key" => {
            let keys = server::attest::ReceiptKeys::load(&settings)?;
            let keys = kc_api::Keys { keys: keys.public().map(kc_attest::PublicKey::info).collect() };
            println!("{}", serde_json::to_string_pretty(&keys)?);
            Ok(())
        }
        "migrate" => {
            let store = server::startup::connect(&settings).await?;
            store.migrate().await?;
            tracing::info!(backend = store.backend(), "migrations applied");
            Ok(())
        }
        _ => {
            tracing::info!(?settings, "starting");
            Application::build(settings).await?.run().await
        }
    }
}
