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
    /// The server's signature over the answers, the decision, the pack id, the date and the
    /// code (docs/receipts.md). Absent on applications stored before receipts were signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation: Option<Attestation>,
}

/// A receipt's signature: Ed25519 by the server's key over the SHA-256 digest of the
/// canonical content (docs/receipts.md); `GET /api/v1/keys` serves the public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attestation {
    /// Version of the canonical encoding (1: the prefix `kc-receipt-v1`).
    pub v: u32,
    /// Signature algorithm: `Ed25519`.
    pub alg: String,
    /// Which server key signed: 16 hex digits of SHA-256 of the public key.
    pub key_id: String,
    /// The rule pack the decision was taken under (signed).
    pub pack_id: String,
    /// The date the rules were taken at (signed).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    #[serde(with = "kc_rules::iso_date")]
    pub as_of: time::Date,
    /// SHA-256 of the canonical content, 64 hex digits.
    pub digest: String,
    /// Ed25519 signature of the digest's 32 bytes, 128 hex digits.
    pub signature: String,
}

/// `GET /applications/{receipt}/receipt`: everything needed to check a receipt offline
/// (`kc verify`): the applicant's answers, the server's decision and the signature. Only
/// the holder of the (unguessable) code gets it, as with the status view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedReceipt {
    /// The receipt code.
    pub code: String,
    /// The submission's idempotency key.
    pub client_id: Uuid,
    /// Server receive time.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub received_at: OffsetDateTime,
    /// The answers as submitted (never a staff correction).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub answers: Application,
    /// The server's decision on them.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub decision: Decision,
    /// The signature (absent on applications stored before receipts were signed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation: Option<Attestation>,
}

/// One public key of the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicKeyInfo {
    /// Key id, as in a receipt's attestation (16 hex digits).
    pub key_id: String,
    /// `Ed25519`.
    pub alg: String,
    /// The 32-byte public key, 64 hex digits.
    pub public_key: String,
}

/// `GET /keys`: the keys receipts are signed with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Keys {
    /// The current signing key first.
    pub keys: Vec<PublicKeyInfo>,
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

impl ReviewState {
    /// Every state, in workflow order.
    pub const ALL: [ReviewState; 5] = [
        ReviewState::Received,
        ReviewState::UnderReview,
        ReviewState::NeedsChanges,
        ReviewState::Accepted,
        ReviewState::Rejected,
    ];

    /// The wire id (`received`, `under_review`, …).
    pub const fn id(self) -> &'static str {
        match self {
            ReviewState::Received => "received",
            ReviewState::UnderReview => "under_review",
            ReviewState::NeedsChanges => "needs_changes",
            ReviewState::Accepted => "accepted",
            ReviewState::Rejected => "rejected",
        }
    }

    /// The state with wire id `id`.
    pub fn from_id(id: &str) -> Option<ReviewState> {
        ReviewState::ALL.into_iter().find(|s| s.id() == id)
    }

    /// What the applicant and staff read, Vietnamese.
    pub const fn label_vi(self) -> &'static str {
        match self {
            ReviewState::Received => "Đã nhận",
            ReviewState::UnderReview => "Đang xem xét",
            ReviewState::NeedsChanges => "Cần bổ sung",
            ReviewState::Accepted => "Chấp nhận",
            ReviewState::Rejected => "Từ chối",
        }
    }

    /// English.
    pub const fn label_en(self) -> &'static str {
        match self {
            ReviewState::Received => "Received",
            ReviewState::UnderReview => "Under review",
            ReviewState::NeedsChanges => "Needs changes",
            ReviewState::Accepted => "Accepted",
            ReviewState::Rejected => "Rejected",
        }
    }

    /// Whether a review may move from `self` to `to` (the same state: a comment only). A
    /// decided application can only be reopened for review.
    pub fn can_move_to(self, to: ReviewState) -> bool {
        use ReviewState::*;
        self == to
            || matches!(
                (self, to),
                (Received, UnderReview | Rejected)
                    | (UnderReview, NeedsChanges | Accepted | Rejected)
                    | (NeedsChanges, UnderReview | Accepted | Rejected)
                    | (Accepted | Rejected, UnderReview)
            )
    }
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
    /// Which decision the centre uses: the one the application was received with (`outcome`,
    /// `amount`: what the applicant was told) or, after the centre adopted a new rule pack,
    /// the new pack's (`current`). Absent from older servers: `received`.
    #[serde(default)]
    pub decision_used: DecisionUsed,
    /// The decision of the rule pack the centre runs now, when it differs from the one the
    /// application was received with (nothing stored was overwritten).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<CurrentDecision>,
    /// Which decision the centre uses and why, Vietnamese then English (when `current` is
    /// present).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub decision_note: Option<kc_rules::Text>,
}

/// Which of an application's decisions the centre uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DecisionUsed {
    /// The decision under the rules in force when the application was received.
    #[default]
    Received,
    /// The decision under the rule pack the centre runs now.
    Current,
}

/// The running rule pack's decision of a stored application, at the same date and on the
/// same answers as the received one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CurrentDecision {
    /// Its outcome.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub outcome: Outcome,
    /// Its support amount (the larger fund total, as `StatusView::amount`).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub amount: Option<Vnd>,
    /// The national fund's total.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub amount_national: Option<Vnd>,
    /// The local (provincial) fund's total.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub amount_local: Option<Vnd>,
    /// The rule pack it was decided with.
    pub pack_id: String,
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

/// A Vietnamese phone number in its national form (`0912345678`), or `None` when `s` is not
/// one. Spaces, dots, dashes and brackets are ignored; `+84` / `84` become `0`. Mobiles have
/// ten digits (03, 05, 07, 08, 09 …); landlines eleven (02 + area code + subscriber).
pub fn phone_vn(s: &str) -> Option<String> {
    let kept: String = s.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}')).collect();
    let digits = match kept.strip_prefix("+84").or_else(|| kept.strip_prefix("84").filter(|r| r.len() >= 9)) {
        Some(rest) => format!("0{}", rest.trim_start_matches('0')),
        None => kept,
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let b = digits.as_bytes();
    let ok = matches!(
        (b.len(), b.first(), b.get(1)),
        (10, Some(b'0'), Some(b'3' | b'5' | b'7' | b'8' | b'9')) | (11, Some(b'0'), Some(b'2'))
    );
    ok.then_some(digits)
}

/// Whether `s` looks like an e-mail address a centre can write to (`name@domain.tld`).
pub fn email_ok(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// What is wrong with a contact, as `(field, Vietnamese, English)`: the centre must be able
/// to reach the applicant, so a name and a valid phone or e-mail are needed.
pub fn contact_problems(c: &Contact) -> Vec<(&'static str, &'static str, &'static str)> {
    let mut out = Vec::new();
    if c.name.trim().is_empty() {
        out.push(("name", "Hãy nhập tên cơ sở hoặc người liên hệ.", "Enter the establishment or contact name."));
    }
    let phone = c.phone.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let email = c.email.as_deref().map(str::trim).filter(|e| !e.is_empty());
    if phone.is_some_and(|p| phone_vn(p).is_none()) {
        out.push((
            "phone",
            "Số điện thoại chưa đúng: di động 10 chữ số (ví dụ 0912 345 678), cố định 11 chữ số bắt đầu bằng 02.",
            "Not a Vietnamese phone number: mobiles have 10 digits (e.g. 0912 345 678), landlines 11 starting with 02.",
        ));
    }
    if email.is_some_and(|e| !email_ok(e)) {
        out.push((
            "email",
            "Địa chỉ thư điện tử chưa đúng (ví dụ ten@example.vn).",
            "Not an e-mail address (e.g. name@example.vn).",
        ));
    }
    if phone.is_none() && email.is_none() {
        out.push((
            "phone",
            "Cần số điện thoại hoặc thư điện tử để trung tâm liên hệ với bạn.",
            "A phone number or an e-mail is needed so the centre can reach you.",
        ));
    }
    out
}

#[cfg(test)]
mod contact_tests {
    use super::*;

    #[test]
    fn vietnamese_phone_numbers_in_their_usual_spellings() {
        for (typed, national) in [
            ("0912 345 678", "0912345678"),
            ("0912.345.678", "0912345678"),
            ("+84 912 345 678", "0912345678"),
            ("84912345678", "0912345678"),
            ("(024) 3825 1234", "02438251234"),
            ("0386-123-456", "0386123456"),
        ] {
            assert_eq!(phone_vn(typed).as_deref(), Some(national), "{typed}");
        }
        for bad in ["", "12345", "0112345678", "091234567", "09123456789", "0912 34a 678", "02438251"] {
            assert_eq!(phone_vn(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_contact_needs_a_name_and_a_way_to_reach() {
        let c = |name: &str, phone: Option<&str>, email: Option<&str>| Contact {
            name: name.into(),
            phone: phone.map(Into::into),
            email: email.map(Into::into),
        };
        assert!(contact_problems(&c("Cơ sở Hòa Bình", Some("0912 345 678"), None)).is_empty());
        assert!(contact_problems(&c("Cơ sở Hòa Bình", None, Some("hb@example.vn"))).is_empty());
        let fields = |c: &Contact| contact_problems(c).into_iter().map(|p| p.0).collect::<Vec<_>>();
        assert_eq!(fields(&c("", Some("0912345678"), None)), ["name"]);
        assert_eq!(fields(&c("A", None, None)), ["phone"]);
        assert_eq!(fields(&c("A", Some("123"), None)), ["phone"]);
        assert_eq!(fields(&c("A", None, Some("a@b"))), ["email"]);
        assert!(!email_ok("a @b.vn") && !email_ok("@b.vn") && email_ok("a.b@c.gov.vn"));
    }
}

#[cfg(test)]
mod review_state_tests {
    use super::ReviewState;

    #[test]
    fn every_state_has_its_wire_id_and_both_labels() {
        for s in ReviewState::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.id());
            assert_eq!(ReviewState::from_id(s.id()), Some(s));
            assert!(!s.label_vi().is_empty() && !s.label_en().is_empty());
            assert_ne!(s.label_vi(), s.id());
            assert!(s.can_move_to(s), "a comment keeps the state");
        }
        assert_eq!(ReviewState::from_id("Received"), None);
    }

    #[test]
    fn the_workflow() {
        use ReviewState::*;
        assert!(Received.can_move_to(UnderReview) && Received.can_move_to(Rejected));
        assert!(!Received.can_move_to(Accepted), "accepting needs a review");
        assert!(UnderReview.can_move_to(NeedsChanges) && NeedsChanges.can_move_to(UnderReview));
        assert!(Accepted.can_move_to(UnderReview) && !Accepted.can_move_to(Rejected));
        assert!(!Rejected.can_move_to(Received));
    }
}
