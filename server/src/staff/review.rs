//! Deciding: the review (status and comment), the bulk status change, assignment to an
//! officer and the staff correction of an answer. Every one is scoped, CSRF-checked and
//! audited; a form with an error comes back with its values and the message beside it.

use axum::Router;
use axum::extract::{Path, RawForm};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use kc_rules::{Application, Fund};
use time::OffsetDateTime;

use super::detail::{self, CorrectionValues, Forms, ReviewValues};
use super::filter::RawFilter;
use super::html::{Lang, url_enc};
use super::labels::{self, Kind};
use super::list::{self, BulkForm};
use super::session::{Session, internal, see_other};
use super::store::{self, Correction, ReviewError, STATES};
use crate::state::AppState;

/// These actions' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/applications/bulk", post(bulk))
        .route("/staff/applications/{code}/review", post(review))
        .route("/staff/applications/{code}/assign", post(assign))
        .route("/staff/applications/{code}/correct", post(correct))
}

/// A urlencoded form as ordered pairs (a field may repeat, as the bulk form's `code`).
fn pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

fn field<'a>(p: &'a [(String, String)], name: &str) -> &'a str {
    p.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// Why a comment is needed, if it is: a rejection, or a comment the applicant will read.
fn comment_problem(l: Lang, to: &str, comment: &str, for_applicant: bool) -> Option<String> {
    if comment.chars().count() > 2000 {
        return Some(l.t("Ý kiến tối đa 2000 ký tự.", "A comment has at most 2000 characters.").to_owned());
    }
    if comment.is_empty() && (to == "rejected" || for_applicant) {
        return Some(
            l.t(
                "Cần ghi ý kiến khi từ chối hoặc khi gửi ý kiến cho người nộp.",
                "Write a comment when rejecting or when it is shown to the applicant.",
            )
            .to_owned(),
        );
    }
    None
}

fn transition_message(l: Lang, from: &str, to: &str) -> String {
    format!(
        "{}: {} → {}",
        l.t("Không chuyển được trạng thái", "This status change is not allowed"),
        labels::label(l, Kind::State, from),
        labels::label(l, Kind::State, to)
    )
}

/// `POST /staff/applications/{code}/review`.
pub async fn review(s: Session, Path(code): Path<String>, RawForm(body): RawForm) -> Response {
    let l = s.lang;
    let p = pairs(&body);
    if let Err(r) = s.check_csrf(field(&p, "csrf")) {
        return r;
    }
    if !s.account.role.can_review() {
        return s.forbidden();
    }
    let to = field(&p, "to").to_owned();
    let comment = field(&p, "comment").trim().to_owned();
    let for_applicant = !field(&p, "for_applicant").is_empty();
    let back = |error: String, status: StatusCode| {
        let review = ReviewValues { to: to.clone(), comment: comment.clone(), for_applicant, error: Some(error) };
        let forms = Forms { review, ..Forms::default() };
        (forms, status)
    };
    let problem = if !STATES.contains(&to.as_str()) {
        Some(l.t("Hãy chọn trạng thái.", "Choose a status.").to_owned())
    } else {
        comment_problem(l, &to, &comment, for_applicant)
    };
    if let Some(e) = problem {
        let (forms, status) = back(e, StatusCode::UNPROCESSABLE_ENTITY);
        return detail::render(&s, &code, forms, status).await;
    }
    match store::review(&s.db, &s.account, &code, &to, &comment, for_applicant, OffsetDateTime::now_utc()).await {
        Ok(()) => see_other(&format!("/staff/applications/{}", url_enc(&code))),
        Err(ReviewError::NotFound) => s.not_found(),
        Err(ReviewError::Transition(from, to)) => {
            let (forms, status) = back(transition_message(l, &from, &to), StatusCode::CONFLICT);
            detail::render(&s, &code, forms, status).await
        }
        Err(ReviewError::Other(e)) => internal(e),
    }
}

/// `POST /staff/applications/bulk`: one status for every ticked application, all or none.
pub async fn bulk(s: Session, RawForm(body): RawForm) -> Response {
    let l = s.lang;
    let p = pairs(&body);
    if let Err(r) = s.check_csrf(field(&p, "csrf")) {
        return r;
    }
    if !s.account.role.can_review() {
        return s.forbidden();
    }
    let codes: Vec<String> = p.iter().filter(|(k, _)| k == "code").map(|(_, v)| v.clone()).collect();
    let to = field(&p, "to").to_owned();
    let comment = field(&p, "comment").trim().to_owned();
    let for_applicant = !field(&p, "for_applicant").is_empty();
    let back_query = field(&p, "back").to_owned();
    let raw: RawFilter = serde_urlencoded::from_str(&back_query).unwrap_or_default();
    let form = |error: String| BulkForm {
        codes: codes.clone(),
        to: to.clone(),
        comment: comment.clone(),
        for_applicant,
        error: Some(error),
    };
    let problem = if codes.is_empty() {
        Some(l.t("Hãy chọn ít nhất một hồ sơ.", "Select at least one application.").to_owned())
    } else if codes.len() > 500 {
        Some(l.t("Tối đa 500 hồ sơ một lần.", "At most 500 applications at once.").to_owned())
    } else if !STATES.contains(&to.as_str()) {
        Some(l.t("Hãy chọn trạng thái.", "Choose a status.").to_owned())
    } else {
        comment_problem(l, &to, &comment, for_applicant)
    };
    if let Some(e) = problem {
        return list::render(&s, &raw, Some(form(e))).await;
    }
    match store::review_many(&s.db, &s.account, &codes, &to, &comment, for_applicant, OffsetDateTime::now_utc()).await {
        Ok(()) => see_other(&format!("/staff/applications?{back_query}")),
        Err(ReviewError::NotFound) => s.not_found(),
        Err(ReviewError::Transition(from, to)) => {
            let msg = format!(
                "{} {}",
                transition_message(l, &from, &to),
                l.t("— không hồ sơ nào được đổi.", "— no application was changed.")
            );
            list::render(&s, &raw, Some(form(msg))).await
        }
        Err(ReviewError::Other(e)) => internal(e),
    }
}

/// `POST /staff/applications/{code}/assign`.
pub async fn assign(s: Session, Path(code): Path<String>, RawForm(body): RawForm) -> Response {
    let p = pairs(&body);
    if let Err(r) = s.check_csrf(field(&p, "csrf")) {
        return r;
    }
    if !s.account.role.can_review() {
        return s.forbidden();
    }
    let officer = match field(&p, "officer") {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return s.not_found(),
        },
    };
    match store::assign(&s.db, &s.account, &code, officer).await {
        Ok(()) => see_other(&format!("/staff/applications/{}", url_enc(&code))),
        Err(ReviewError::NotFound | ReviewError::Transition(..)) => s.not_found(),
        Err(ReviewError::Other(e)) => internal(e),
    }
}

/// `POST /staff/applications/{code}/correct`: a new version of the answers, recomputed.
pub async fn correct(s: Session, Path(code): Path<String>, RawForm(body): RawForm) -> Response {
    let l = s.lang;
    let p = pairs(&body);
    if let Err(r) = s.check_csrf(field(&p, "csrf")) {
        return r;
    }
    if !s.account.role.can_review() {
        return s.forbidden();
    }
    let (fid, value, comment) =
        (field(&p, "field").to_owned(), field(&p, "value").trim().to_owned(), field(&p, "comment").trim().to_owned());
    let fail = |e: String, status: StatusCode| {
        let correction =
            CorrectionValues { field: fid.clone(), value: value.clone(), comment: comment.clone(), error: Some(e) };
        (Forms { correction, ..Forms::default() }, status)
    };
    let d = match store::detail(&s.db, s.account.scope(), &code).await {
        Ok(Some(d)) => d,
        Ok(None) => return s.not_found(),
        Err(e) => return internal(e),
    };
    if comment.is_empty() || comment.chars().count() > 500 {
        let (forms, status) = fail(
            l.t("Hãy ghi lý do sửa (tối đa 500 ký tự).", "Say why (at most 500 characters).").to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
        return detail::render(&s, &code, forms, status).await;
    }
    // The running pack (`pack_file`, else the bundled one), as for a submission.
    let pack = s.pack;
    let Ok(before) = serde_json::from_str::<Application>(&d.row.answers_json) else {
        return internal(anyhow::anyhow!("stored answers of {code} do not parse"));
    };
    let mut after = before.clone();
    let computed = super::answers::set(&mut after, &fid, &value)
        .map_err(|(vi, en)| l.t(vi, en).to_owned())
        .and_then(|()| after.check(pack).map_err(|e| e.to_string()))
        .and_then(|()| {
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            let as_of = time::Date::parse(&d.server_as_of, &fmt).map_err(|e| e.to_string())?;
            kc_rules::evaluate(pack, &after, as_of).map_err(|e| e.to_string())
        });
    let decision = match computed {
        Ok(dec) => dec,
        Err(e) => {
            let (forms, status) = fail(e, StatusCode::UNPROCESSABLE_ENTITY);
            return detail::render(&s, &code, forms, status).await;
        }
    };
    let amount = |fund| {
        decision
            .support
            .iter()
            .filter(|x| x.fund == fund)
            .any(|x| x.amount.is_some())
            .then(|| decision.total(fund).to_i64())
    };
    let show = |a: &Application| super::answers::value(a, &fid, Lang::Vi).unwrap_or_else(|| "—".to_owned());
    let (Ok(answers_json), Ok(decision_json)) = (serde_json::to_string(&after), serde_json::to_string(&decision))
    else {
        return internal(anyhow::anyhow!("serialising a correction"));
    };
    let c = Correction {
        field: fid.clone(),
        old_value: show(&before),
        new_value: show(&after),
        comment: comment.clone(),
        answers_json,
        decision_json,
        outcome: crate::recheck::outcome_id(&decision).to_owned(),
        amount_national: amount(Fund::National),
        amount_local: amount(Fund::Local),
        support_lines: after.lines.iter().map(|r| r.line.id()).collect::<Vec<_>>().join(","),
        drift: d.row.drift,
    };
    match store::correct(&s.db, &s.account, &code, &c, OffsetDateTime::now_utc()).await {
        Ok(_) => see_other(&format!("/staff/applications/{}", url_enc(&code))),
        Err(ReviewError::NotFound | ReviewError::Transition(..)) => s.not_found(),
        Err(ReviewError::Other(e)) => internal(e),
    }
}
