//! `app(state)`: the router; `Application::build(settings)`: bind, connect, migrate.

use std::time::Duration;

use anyhow::Context;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{HeaderValue, Method, header};
use axum::{Router, middleware};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

use crate::config::Settings;
use crate::error::{log_internal_errors, method_not_allowed, no_route, panic_response};
use crate::routes;
use crate::state::AppState;
use crate::store::{Store, StoreOptions};

/// The whole HTTP surface.
pub fn app(state: AppState) -> Router {
    let settings = state.settings.clone();
    let api = routes::api(&state)
        .fallback(no_route)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(cors(&settings.cors_origins));
    Router::new()
        .nest(kc_api::PREFIX, api)
        .merge(routes::health::router())
        .merge(routes::site::router(&settings.static_dir))
        .merge(routes::receipt_page::router())
        .merge(crate::staff::router())
        .fallback(no_route)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(log_internal_errors))
        .layer(DefaultBodyLimit::max(settings.body_limit))
        .layer(middleware::from_fn_with_state(
            (settings.body_limit, settings.pack_upload_limit),
            reject_announced_oversize,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            // Path template only: receipt and resume codes stay out of the logs.
            let path = request.extensions().get::<MatchedPath>().map_or("?", MatchedPath::as_str);
            tracing::info_span!("request", method = %request.method(), path)
        }))
        .layer(CatchPanicLayer::custom(panic_response))
        .with_state(state)
}

/// 413 at once for a body whose `Content-Length` is over the limit, before reading any of it
/// (the accept loop adds `Connection: close`: the body is never read). The admin's candidate
/// pack upload (`POST /staff/impact`) has its own, larger limit.
async fn reject_announced_oversize(
    axum::extract::State((body_limit, upload_limit)): axum::extract::State<(usize, usize)>,
    request: Request,
    next: middleware::Next,
) -> axum::response::Response {
    let limit = if request.method() == Method::POST && request.uri().path() == crate::staff::impact::PATH {
        upload_limit
    } else {
        body_limit
    };
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return axum::response::IntoResponse::into_response(crate::error::ApiError::TooLarge);
    }
    next.run(request).await
}

fn cors(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .max_age(Duration::from_secs(3600))
}

/// A bound, migrated, ready-to-run server.
pub struct Application {
    port: u16,
    listener: TcpListener,
    router: Router,
    store: Store,
    limits: crate::serve::Limits,
    adoption: tokio::sync::watch::Receiver<Option<crate::adopt::Counts>>,
}

impl Application {
    /// Loads the rule pack (`pack_file`, else the bundled one), connects to the database
    /// (creating and migrating it), binds `settings.bind`, and starts adopting the pack in
    /// the background: stored applications decided under another pack gain this pack's
    /// decision beside theirs (see [`crate::adopt`]); serving does not wait for it.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let receipt_keys = crate::attest::ReceiptKeys::load(&settings)?;
        let pack = settings.pack()?;
        let store = connect(&settings).await?;
        store.migrate().await?;
        crate::staff::warn_if_no_admin(&store).await;
        let listener = TcpListener::bind(&settings.bind).await.with_context(|| format!("binding {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        tracing::info!(
            port,
            backend = store.backend(),
            pack = %pack.id,
            bundled = pack.id == kc_rulepack::PACK_ID,
            policy = settings.decision_policy.id(),
            "kc-server ready"
        );
        let open_files = crate::serve::raise_open_file_limit();
        let limits = crate::serve::Limits::from_settings(&settings, open_files);
        let adoption = crate::adopt::spawn(store.clone(), pack);
        let router = app(AppState::new(store.clone(), settings, pack, receipt_keys));
        Ok(Application { port, listener, router, store, limits, adoption })
    }

    /// The background adoption pass started by [`Application::build`] (tests wait for it).
    pub fn adoption(&self) -> tokio::sync::watch::Receiver<Option<crate::adopt::Counts>> {
        self.adoption.clone()
    }

    /// The port actually bound (tests bind port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The store, for tests that look behind the API.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Serves until `shutdown` resolves (see [`crate::serve`]: timeouts, connection limit).
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        crate::serve::serve(self.listener, self.router, self.limits, shutdown).await?;
        Ok(())
    }

    /// Serves until SIGINT/SIGTERM.
    pub async fn run(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }
}

/// Opens the store the settings name (no migration).
pub async fn connect(settings: &Settings) -> anyhow::Result<Store> {
    Store::connect(&StoreOptions {
        url: settings.database_url.clone(),
        max_connections: settings.max_connections,
        acquire_timeout: Duration::from_secs(settings.db_acquire_timeout_secs.max(1)),
    })
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}
