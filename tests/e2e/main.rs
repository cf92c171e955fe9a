//! End-to-end tests: the real server on port 0, SQLite and PostgreSQL.
//!
//! Every API test is written once as `async fn name(app: TestApp)` and run on both backends
//! by `both!`. PostgreSQL needs `KC_TEST_POSTGRES_URL` (see docs/server.md).

mod adopt;
mod api;
mod centres;
mod changes;
mod drafts;
mod export;
mod hardening;
mod hostile;
mod impact;
mod impact_page;
mod openapi;
mod policy;
mod receipts_signed;
mod site;
mod staff;
mod staff_work;
mod walkthrough;

/// Runs an `async fn(TestApp)` on SQLite and on PostgreSQL, as two tests.
#[macro_export]
macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = tests::spawn_app(tests::Backend::Sqlite).await.expect("sqlite always runs");
                super::$name(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(app) = tests::spawn_app(tests::Backend::Postgres).await else { return };
                super::$name(app).await;
            }
        }
    )*};
}
