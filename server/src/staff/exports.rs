//! Exports of the list's filter: `GET /staff/export.csv` and `/staff/export.xlsx`, scoped,
//! audited and streamed.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderValue};
use axum::response::Response;
use axum::routing::get;
use kc_rules::{Application, Status, Vnd};
use maud::html;
use serde::Deserialize;
use time::OffsetDateTime;

use super::export::{self, ExportDecision, ExportRow, XlsxExport};
use super::filter::{self, RawFilter};
use super::html::Lang;
use super::labels::{self, Kind};
use super::list::{commune_name, contact_of, province_name};
use super::session::{Session, internal};
use super::store::{self, AppRow, Filter};
use crate::state::AppState;

/// This page's routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/export.csv", get(export_csv)).route("/staff/export.xlsx", get(export_xlsx))
}

/// Just enough of a stored decision to name the criteria it fails (the rest is skipped).
#[derive(Deserialize)]
struct CriteriaOnly {
    #[serde(default)]
    criteria: Vec<CriterionOnly>,
}

#[derive(Deserialize)]
struct CriterionOnly {
    id: String,
    status: Status,
}

/// An application as an export row (Vietnamese labels); `running` is the running pack's id
/// (the pack of an adopted decision).
pub fn export_row(r: &AppRow, running: &str) -> ExportRow {
    let answers: Option<Application> = serde_json::from_str(&r.answers_json).ok();
    let requested = answers
        .as_ref()
        .map(|a| a.lines.iter().filter_map(|l| l.cost).fold(Vnd::ZERO, Vnd::saturating_add).to_i64())
        .unwrap_or(0);
    let subject = answers
        .as_ref()
        .and_then(|a| a.subject)
        .and_then(|s| serde_json::to_value(s).ok())
        .and_then(|v| v.as_str().map(|s| labels::label(Lang::Vi, Kind::Subject, s)))
        .unwrap_or_default();
    let (applicant, phone, email) = contact_of(r);
    let sector = answers
        .as_ref()
        .and_then(|a| a.sector.as_deref())
        .map(|s| kc_rulepack::bundled().sector(s).map_or_else(|| s.to_owned(), |x| x.label_vi.clone()))
        .unwrap_or_default();
    let failing = serde_json::from_str::<CriteriaOnly>(&r.decision_json)
        .map(|d| {
            d.criteria
                .iter()
                .filter(|c| c.status == Status::NotMet)
                .map(|c| labels::label(Lang::Vi, Kind::Criterion, &c.id))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    ExportRow {
        code: r.code.clone(),
        received_at: r.received_at,
        province_code: r.province_code.unwrap_or(0),
        province: province_name(r.province_code),
        commune_code: r.commune_code,
        commune: commune_name(r.commune_code),
        applicant,
        phone,
        email,
        subject,
        lines: super::html::lines_label(Lang::Vi, &r.support_lines),
        outcome: labels::label(Lang::Vi, Kind::Outcome, &r.outcome),
        state: labels::label(Lang::Vi, Kind::State, &r.status),
        drift: r.drift,
        requested,
        support_national: r.amount_national.unwrap_or(0),
        support_local: r.amount_local.unwrap_or(0),
        pack_id: r.server_pack_id.clone(),
        sector,
        failing_criteria: failing,
        assigned: r.assigned_email.clone().unwrap_or_default(),
        uses_current: r.uses_adopted,
        received: export_decision(&r.received, &r.server_pack_id),
        current: r.adopted.as_ref().map(|a| export_decision(a, running)),
    }
}

fn export_decision(f: &store::Figures, pack_id: &str) -> ExportDecision {
    ExportDecision {
        outcome: labels::label(Lang::Vi, Kind::Outcome, &f.outcome),
        support_national: f.amount_national.unwrap_or(0),
        support_local: f.amount_local.unwrap_or(0),
        pack_id: pack_id.to_owned(),
    }
}

/// Parses the filter, writes the audit entry, and starts streaming the rows.
async fn start_export(
    s: &Session,
    raw: &RawFilter,
    format: &str,
) -> Result<(Filter, tokio::sync::mpsc::Receiver<anyhow::Result<AppRow>>), Response> {
    let l = s.lang;
    let parsed = raw.parse(l, s.account.scope());
    if !parsed.errors.is_empty() {
        let back = format!("/staff/applications?{}", raw.query(&[]));
        return Err(s.page(
            StatusCode::BAD_REQUEST,
            l.t("Bộ lọc không hợp lệ", "Invalid filter"),
            html! {
                ul { @for (_, m) in &parsed.errors { li.err { (m) } } }
                p { a href=(back) { (l.t("Về danh sách để sửa bộ lọc", "Back to the list to correct the filter")) } }
            },
        ));
    }
    let f = parsed.filter;
    let desc: BTreeMap<String, String> = describe(s, &f).await.into_iter().collect();
    let detail = format!("{format} {}", serde_json::to_string(&desc).unwrap_or_default());
    store::audit(&s.db, &s.account.email, "export", format, &detail).await.map_err(internal)?;
    let (tx, rx) = tokio::sync::mpsc::channel(512);
    let (db, scope, filter, decisions) = (s.db.clone(), s.account.scope(), f.clone(), s.decisions());
    tokio::spawn(async move {
        if let Err(e) = store::export_rows(&db, scope, &decisions, &filter, tx).await {
            tracing::error!(error = ?e, "export query failed");
        }
    });
    Ok((f, rx))
}

fn attachment(name: &str) -> HeaderValue {
    let day = OffsetDateTime::now_utc().to_offset(kc_rules::VIETNAM).date();
    HeaderValue::from_str(&format!("attachment; filename=\"ho-so-{day}.{name}\"")).expect("ascii")
}

/// `GET /staff/export.csv`: RFC 4180, UTF-8 with BOM, streamed.
pub async fn export_csv(s: Session, Query(raw): Query<RawFilter>) -> Response {
    let (_, rx) = match start_export(&s, &raw, "csv").await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let running = s.pack.id.as_str();
    let stream = futures_util::stream::unfold((rx, true, false), move |(mut rx, first, done)| async move {
        if done {
            return None;
        }
        let mut buf = Vec::with_capacity(64 * 1024);
        if first {
            export::csv_header(&mut buf);
        }
        let mut end = false;
        while buf.len() < 60_000 {
            match rx.recv().await {
                Some(Ok(r)) => export::csv_row(&mut buf, &export_row(&r, running)),
                Some(Err(e)) => {
                    tracing::error!(error = ?e, "export failed mid-stream");
                    return Some((Err(std::io::Error::other("export failed")), (rx, false, true)));
                }
                None => {
                    end = true;
                    break;
                }
            }
        }
        if buf.is_empty() {
            return None;
        }
        Some((Ok::<_, std::io::Error>(Bytes::from(buf)), (rx, false, end)))
    });
    let mut res = Response::new(Body::from_stream(stream));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    h.insert(header::CONTENT_DISPOSITION, attachment("csv"));
    res
}

/// `GET /staff/export.xlsx`: built in a constant-memory worksheet on a blocking thread, then
/// streamed from a temporary file.
pub async fn export_xlsx(s: Session, Query(raw): Query<RawFilter>) -> Response {
    let (f, mut rx) = match start_export(&s, &raw, "xlsx").await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let desc = describe(&s, &f).await;
    let who = s.account.email.clone();
    let (running, policy_current) = (s.pack.id.as_str(), s.decisions().current);
    let (btx, mut brx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let built = (|| -> anyhow::Result<std::fs::File> {
            let dir = tempfile::tempdir()?;
            let mut x = XlsxExport::new(dir.path())?.policy_current(policy_current);
            while let Some(r) = rx.blocking_recv() {
                x.push(&export_row(&r?, running))?;
            }
            let mut file = tempfile::tempfile()?;
            x.finish(&desc, OffsetDateTime::now_utc(), &who, &mut file)?;
            file.seek(SeekFrom::Start(0))?;
            Ok(file)
        })();
        match built {
            Ok(mut file) => loop {
                let mut chunk = vec![0u8; 256 * 1024];
                match file.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => {
                        chunk.truncate(n);
                        if btx.blocking_send(Ok(Bytes::from(chunk))).is_err() {
                            break;
                        }
                    }
                    Err(e) => {
                        let _ = btx.blocking_send(Err(e));
                        break;
                    }
                }
            },
            Err(e) => {
                tracing::error!(error = ?e, "xlsx export failed");
                let _ = btx.blocking_send(Err(std::io::Error::other("export failed")));
            }
        }
    });
    // Wait for the first chunk so a failure is still a clean 500.
    let first = match brx.recv().await {
        Some(Ok(b)) => b,
        _ => return internal(anyhow::anyhow!("xlsx export produced nothing")),
    };
    let stream = futures_util::stream::unfold((Some(first), brx), |(first, mut rx)| async move {
        if let Some(b) = first {
            return Some((Ok(b), (None, rx)));
        }
        rx.recv().await.map(|item| (item, (None, rx)))
    });
    let mut res = Response::new(Body::from_stream(stream));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    );
    h.insert(header::CONTENT_DISPOSITION, attachment("xlsx"));
    res
}

/// The filter in words, with the assigned officer's e-mail.
async fn describe(s: &Session, f: &Filter) -> Vec<(String, String)> {
    let name = match f.assigned {
        Some(store::Assigned::Account(id)) => store::accounts(&s.db)
            .await
            .ok()
            .and_then(|a| a.into_iter().find(|(a, _)| a.id == id).map(|(a, _)| a.email)),
        _ => None,
    };
    filter::describe(f, s.account.scope(), name.as_deref())
}
