//! Logging: `tracing` to stderr, filtered by `RUST_LOG` (default `server=info,tower_http=info`).
//! Never log request bodies, contacts or codes: spans carry the route template only.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once (later calls are ignored, as in tests).
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("server=info,tower_http=info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
