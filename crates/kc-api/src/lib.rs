//! Wire types of the sync API, version 1 (`/api/v1`), shared by the widget and the server.
//!
//! API boundary: changing a field is a protocol change. Add fields (optional, with serde
//! defaults); do not rename or remove them.

use kc_rules::{Application, Decision, Line, Outcome, Vnd};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// Path prefix of this version.
pub const PREFIX: &str = "/api/v1";

/// `POST /applications`: a self-check the applicant submits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// Made by the widget when the draft started; the idempotency key.
    pub client_id: Uuid,
    /// The answers.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub application: Application,
    /// The date the widget evaluated at (informational: the server uses its own clock).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    #[serde(with = "kc_rules::iso_date")]
    pub client_as_of: time::Date,
    /// The decision the widget showed (never trusted; compared for drift).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub client_decision: Decision,
    /// The rule pack the widget used.
    pub client_pack_id: String,
    /// Contact the centre may use (optional, personal data: never logged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// The centre whose page the widget was embedded in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre_id: Option<String>,
}

/// How the centre can reach the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Establishment or person name.
    pub name: String,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The answer to a submission: what the applicant keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receipt {
    /// Short, unguessable, readable code, e.g. `KC-7F3K-92QD-M4TX`.
    pub code: String,
    /// The submission's idempotency key.
    pub client_id: Uuid,
    /// Server receive time (the server's clock).
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub received_at: OffsetDateTime,
    /// The server's own decision.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub decision: Decision,
    /// True when the server's decision differs from the client's (outcome, amounts or pack).
    pub drift: bool,
}

/// Review state of an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Received, not yet looked at.
    Received,
    /// A staff member is reviewing it.
    UnderReview,
    /// The applicant must change something.
    NeedsChanges,
    /// Accepted into the centre's plan.
    Accepted,
    /// Rejected.
    Rejected,
}

/// `GET /applications/{receipt}`: the applicant's status view (nobody else's data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusView {
    /// The receipt code.
    pub code: String,
    /// Review state.
    pub state: ReviewState,
    /// Server receive time.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub received_at: OffsetDateTime,
    /// Server outcome.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub outcome: Outcome,
    /// Requested lines.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub lines: Vec<Line>,
    /// Total computed support (both funds' largest figures are in the decision).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub amount: Option<Vnd>,
    /// What happens next, Vietnamese then English.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub next_step: kc_rules::Text,
    /// The last comment the centre addressed to the applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One field error of an error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// Path of the field, e.g. `application.location.commune_code`.
    pub path: String,
    /// What is wrong, Vietnamese then English.
    pub message: String,
}

/// Every 4xx/5xx body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// Stable machine code, e.g. `validation`, `conflict`, `not_found`.
    pub code: String,
    /// Human message, Vietnamese then English.
    pub message: String,
    /// Field errors, when the input is at fault.
    #[serde(default)]
    pub fields: Vec<FieldError>,
}

/// `GET /rulepack`: what the server runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RulepackInfo {
    /// Pack id.
    pub pack_id: String,
    /// Every distinct effective date in the pack, ascending.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    #[serde(with = "kc_rules::iso_date::vec")]
    pub effective_dates: Vec<time::Date>,
    /// Provinces with a local layer: (code, layer ids).
    pub local_layers: Vec<LocalLayerInfo>,
}

/// A province with local-fund layers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalLayerInfo {
    /// Province code.
    pub province_code: u16,
    /// Layer ids.
    pub layers: Vec<String>,
}

/// `POST /drafts`: park a draft on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DraftPark {
    /// The draft's client id.
    pub client_id: Uuid,
    /// The answers so far.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub application: Application,
}

/// The answer to parking a draft, and `GET /drafts/{code}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParkedDraft {
    /// Short code to resume elsewhere.
    pub resume_code: String,
    /// The draft's client id.
    pub client_id: Uuid,
    /// The answers.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub application: Application,
    /// When it expires (server clock).
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: OffsetDateTime,
}
