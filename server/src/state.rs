//! What every handler shares. Nothing here is state another instance would need.

use std::sync::Arc;

use kc_rules::RulePack;

use crate::config::Settings;
use crate::ratelimit::RateLimiter;
use crate::store::Store;

/// Shared application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The rule pack this server decides with (`pack_file`, else the bundled one).
    pub pack: &'static RulePack,
    /// That pack as JSON (served at `/rulepack/full`).
    pub pack_json: &'static str,
    /// Settings as loaded.
    pub settings: Arc<Settings>,
    /// Submission rate limit (per instance).
    pub limiter: Arc<RateLimiter>,
    /// The bound on concurrent password checks (per instance).
    pub hashing: Arc<crate::staff::throttle::Hashing>,
    /// The receipt signing key (the same file on every instance) and earlier keys
    /// (`crate::attest`).
    pub receipt_keys: Arc<crate::attest::ReceiptKeys>,
}

impl AppState {
    /// State over `store` deciding with `pack`, signing receipts with `receipt_keys`.
    pub fn new(
        store: Store,
        settings: Settings,
        pack: &'static RulePack,
        receipt_keys: crate::attest::ReceiptKeys,
    ) -> AppState {
        let limiter = RateLimiter::new(settings.submit_rate_per_minute, settings.submit_burst);
        let hashing = Arc::new(crate::staff::throttle::Hashing::from_settings(&settings));
        tracing::debug!(hash_concurrency = hashing.size(), "password checks bounded");
        AppState {
            store,
            pack,
            pack_json: if pack.id == kc_rulepack::PACK_ID {
                kc_rulepack::PACK_JSON
            } else {
                // Once per process, for a pack file: a few MiB.
                Box::leak(serde_json::to_string(pack).unwrap_or_default().into_boxed_str())
            },
            settings: Arc::new(settings),
            limiter: Arc::new(limiter),
            hashing,
            receipt_keys: Arc::new(receipt_keys),
        }
    }
}
