//! The widget's state machine: answers, the live decision, the draft and the outbox.
//!
//! Plain Rust, no `web_sys`: the clock, random ids, storage and the network are outside and
//! come in as action data (`now_ms`, `client_id`, `SendOutcome`). Tested natively.

use std::rc::Rc;

use kc_api::{Contact, ErrorBody, Submission};
use kc_rules::{Application, Decision, Fund, Line, LineRequest, Outcome, RulePack, Status, Vnd};
use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;
use yew::Reducible;

use crate::lang::Lang;
use crate::questions::{self, Answer, EntryError};

/// The first retry waits this long; each failure doubles it.
pub const BACKOFF_START_MS: u64 = 2_000;
/// Retries never wait longer than five minutes.
pub const BACKOFF_MAX_MS: u64 = 5 * 60 * 1_000;

/// The wait before retry number `attempts` (1-based): 2 s, 4 s, 8 s … capped at 5 min.
pub fn backoff_ms(attempts: u32) -> u64 {
    let shift = attempts.saturating_sub(1).min(20);
    BACKOFF_START_MS.saturating_mul(1 << shift).min(BACKOFF_MAX_MS)
}

/// What the host page configured (attributes of `<khuyen-cong-widget>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// `lang`: initial language.
    pub lang: Lang,
    /// `api-base`: where `/api/v1` lives (empty: same origin).
    pub api_base: String,
    /// `province`: code, codename or name; fixes the commune picker to that province.
    pub province: Option<String>,
    /// `centre-id`: sent with the submission.
    pub centre_id: Option<String>,
    /// Known answers (prefill attributes).
    pub prefill: Option<Application>,
}

/// The contact fields of the submit step (optional, personal: never in host events).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    /// Establishment or person name.
    pub name: String,
    /// Phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
}

impl ContactForm {
    /// The wire contact, when a name is given.
    pub fn to_contact(&self) -> Option<Contact> {
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Some(Contact { name: opt(&self.name)?, phone: opt(&self.phone), email: opt(&self.email) })
    }

    /// What keeps the centre from reaching the applicant, by field (`name`, `phone`,
    /// `email`): the same check as the server's.
    pub fn problems(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        kc_api::contact_problems(&Contact { name: self.name.clone(), phone: opt(&self.phone), email: opt(&self.email) })
    }
}

/// The applicant's work in progress; autosaved on every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// Made when the draft started; the submission's idempotency key.
    pub client_id: Uuid,
    /// The answers.
    pub application: Application,
    /// What was typed into text fields, by question id (shown back as typed).
    #[serde(default)]
    pub raw: std::collections::BTreeMap<String, String>,
    /// Contact for the centre.
    #[serde(default)]
    pub contact: ContactForm,
    /// Whether it went to the outbox already.
    #[serde(default)]
    pub submitted: bool,
}

impl Draft {
    /// A fresh draft.
    pub fn new(client_id: Uuid, application: Application) -> Draft {
        Draft { client_id, application, raw: Default::default(), contact: ContactForm::default(), submitted: false }
    }

    /// Whether anything was answered (an empty draft is not offered back).
    pub fn has_answers(&self) -> bool {
        self.application != Application::default() || !self.raw.is_empty()
    }
}

/// The part of the server's receipt the widget keeps and shows.
///
/// Deliberately not [`kc_api::Receipt`]: deserializing a whole [`Decision`] would put a second
/// copy of its serde code into the bundle for fields the receipt never shows. Unknown fields
/// are ignored, so the server may send the full receipt (it does).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptView {
    /// The receipt code, e.g. `KC-7F3K-92QD-M4TX`.
    pub code: String,
    /// The submission's idempotency key.
    pub client_id: Uuid,
    /// Server receive time, RFC 3339 as the server wrote it.
    pub received_at: String,
    /// The server's decision, summarized.
    pub decision: DecisionSummary,
    /// Whether the server's result differs from the widget's.
    pub drift: bool,
}

/// The part of a parked draft ([`kc_api::ParkedDraft`]) the widget uses: the expiry time is
/// not shown, so no timestamp parser lands in the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParkedView {
    /// Short code to resume elsewhere.
    pub resume_code: String,
    /// The draft's client id.
    pub client_id: Uuid,
    /// The answers.
    pub application: Application,
}

/// The server's decision as the receipt shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionSummary {
    /// Outcome.
    pub outcome: Outcome,
    /// The pack the server used.
    pub pack_id: String,
    /// Amount per line and fund.
    #[serde(default)]
    pub support: Vec<SupportSummary>,
}

/// A destructive step waiting for the applicant's "yes".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// Wipe the answers and start a new self-check.
    StartOver,
    /// Drop an unsent submission from the outbox.
    Discard(Uuid),
}

/// One line's support in the receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportSummary {
    /// Line.
    pub line: Line,
    /// Fund.
    pub fund: Fund,
    /// Whether the line is eligible.
    pub status: Status,
    /// The computed amount, if any.
    #[serde(default)]
    pub amount: Option<Vnd>,
}

impl DecisionSummary {
    /// The same sum as [`Decision::total`].
    pub fn total(&self, fund: Fund) -> Vnd {
        kc_rules::fund_total(fund, self.support.iter().map(|s| (s.fund, s.status, s.amount)))
    }
}

/// Where a queued submission stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendState {
    /// Waiting to be sent (first try or a retry after a transient failure).
    Waiting,
    /// A request is in flight.
    Sending,
    /// The server answered with a receipt.
    Sent(ReceiptView),
    /// The server refused it; retrying would not help (validation error, conflict).
    Failed {
        /// Plain-words reason, Vietnamese.
        reason_vi: String,
        /// English.
        reason_en: String,
    },
}

/// One submission in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    /// The idempotency key (the draft's client id).
    pub client_id: Uuid,
    /// The [`Submission`] as JSON, made once at submit: every retry sends the same bytes, and
    /// "save as file" writes them.
    pub body: String,
    /// The requested lines (for display).
    pub lines: Vec<Line>,
    /// The pack the widget computed with.
    pub client_pack_id: String,
    /// State.
    pub state: SendState,
    /// Failed tries so far.
    pub attempts: u32,
    /// Do not try before this time (ms since the epoch).
    pub next_try_ms: u64,
    /// The last transient failure, for display (Vietnamese, English).
    pub last_error: Option<(String, String)>,
    /// Who sent it (for the receipt; stays on this device).
    #[serde(default)]
    pub contact: Option<Contact>,
    /// The centre it was sent to.
    #[serde(default)]
    pub centre_id: Option<String>,
}

impl OutboxItem {
    /// Queues a submission.
    pub fn new(submission: &Submission, now_ms: u64) -> OutboxItem {
        OutboxItem {
            client_id: submission.client_id,
            body: crate::json::to_string(submission).unwrap_or_default(),
            lines: submission.application.lines.iter().map(|r| r.line).collect(),
            client_pack_id: submission.client_pack_id.clone(),
            state: SendState::Waiting,
            attempts: 0,
            next_try_ms: now_ms,
            last_error: None,
            contact: submission.contact.clone(),
            centre_id: submission.centre_id.clone(),
        }
    }

    /// The idempotency key.
    pub fn id(&self) -> Uuid {
        self.client_id
    }

    /// Whether the server's rule pack differs from the one the widget used.
    pub fn pack_changed(&self) -> bool {
        match &self.state {
            SendState::Sent(receipt) => receipt.decision.pack_id != self.client_pack_id,
            _ => false,
        }
    }

    /// Whether it is due now.
    pub fn due(&self, now_ms: u64) -> bool {
        self.state == SendState::Waiting && self.next_try_ms <= now_ms
    }
}

/// What the network layer reports for one send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// 200/201 with a receipt.
    Receipt(ReceiptView),
    /// A 4xx the applicant must act on (validation, conflict): no automatic retry.
    Refused {
        /// HTTP status.
        status: u16,
        /// The body, when it was one.
        body: Option<ErrorBody>,
    },
    /// Offline, timeout, 5xx, 429: retried with backoff.
    Transient {
        /// Why, Vietnamese.
        vi: String,
        /// Why, English.
        en: String,
    },
}

/// Parking a draft on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Park {
    /// Nothing happening.
    Idle,
    /// Request in flight.
    Busy,
    /// Parked: the code to resume elsewhere.
    Parked(String),
    /// Failed: why (Vietnamese, English).
    Error(String, String),
}

/// Everything on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Host configuration.
    pub options: Options,
    /// The province the host fixed, resolved.
    pub province: Option<u16>,
    /// Display language.
    pub lang: Lang,
    /// Today (the browser's date; the server uses its own).
    pub today: Date,
    /// The work in progress.
    pub draft: Draft,
    /// A saved draft found on return, waiting for "continue / start over".
    pub restore: Option<Draft>,
    /// Why the last typed entry of a field was refused, by question id.
    pub entry_errors: std::collections::BTreeMap<String, EntryError>,
    /// The live decision for the draft.
    pub decision: Result<Decision, String>,
    /// Queued and sent submissions.
    pub outbox: Vec<OutboxItem>,
    /// The receipt on screen (by client id).
    pub receipt: Option<Uuid>,
    /// Server-parked draft status.
    pub park: Park,
    /// The pack id the server reported (`GET /rulepack`), if known.
    pub server_pack: Option<String>,
    /// A short message for screen readers (aria-live), changed on notable events.
    pub announce: String,
    /// A destructive step waiting for confirmation.
    pub confirm: Option<Confirm>,
    /// Whether the contact fields were checked (after a submit attempt): shows their errors.
    pub contact_checked: bool,
    /// Where keyboard focus should move (element id) and a counter, so the same target
    /// can be asked for twice.
    pub focus: Option<(&'static str, u32)>,
}

/// Everything that can happen.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Switch language.
    SetLang(Lang),
    /// Request or drop a support line.
    ToggleLine(Line, bool),
    /// Answer question `id`.
    Answer(String, Answer),
    /// Edit a contact field (`name`, `phone`, `email`).
    Contact(&'static str, String),
    /// Continue the saved draft.
    Restore,
    /// Start over with a new client id.
    StartOver(Uuid),
    /// A parked draft fetched by its code.
    Resume(ParkedView),
    /// Put the draft in the outbox.
    Submit {
        /// Now.
        now_ms: u64,
    },
    /// A send started.
    Sending(Uuid),
    /// A send finished.
    Sent {
        /// Which.
        id: Uuid,
        /// How.
        outcome: SendOutcome,
        /// Now.
        now_ms: u64,
    },
    /// Retry every waiting item now (the browser came back online, or the user asked).
    RetryAll {
        /// Now.
        now_ms: u64,
    },
    /// Retry one item now (also revives a failed one).
    Retry(Uuid, u64),
    /// Drop an item from the outbox.
    Discard(Uuid),
    /// Show a receipt.
    ShowReceipt(Option<Uuid>),
    /// Parking status changed.
    Park(Park),
    /// The server's pack id.
    ServerPack(String),
    /// Ask before a destructive step (`None`: the applicant said no).
    Ask(Option<Confirm>),
}

fn evaluate(app: &Application, today: Date) -> Result<Decision, String> {
    kc_rules::evaluate(pack(), app, today).map_err(|e| e.to_string())
}

/// The bundled rule pack.
pub fn pack() -> &'static RulePack {
    kc_rulepack::bundled()
}

impl State {
    /// The starting state: a fresh draft with the host's prefill, the saved draft offered
    /// back if it has answers, the saved outbox (interrupted sends go back to waiting).
    pub fn new(options: Options, today: Date, client_id: Uuid, saved: Option<Draft>, outbox: Vec<OutboxItem>) -> State {
        let province = options.province.as_deref().and_then(|p| crate::search::resolve_province(pack(), p));
        let draft = Draft::new(client_id, options.prefill.clone().unwrap_or_default());
        let decision = evaluate(&draft.application, today);
        let outbox = outbox
            .into_iter()
            .map(|mut i| {
                if i.state == SendState::Sending {
                    i.state = SendState::Waiting;
                }
                i
            })
            .collect();
        State {
            lang: options.lang,
            options,
            province,
            today,
            draft,
            restore: saved.filter(|d| d.has_answers() && !d.submitted),
            entry_errors: Default::default(),
            decision,
            outbox,
            receipt: None,
            park: Park::Idle,
            server_pack: None,
            announce: String::new(),
            confirm: None,
            contact_checked: false,
            focus: None,
        }
    }

    fn focus_on(&mut self, id: &'static str) {
        let n = self.focus.map_or(0, |(_, n)| n.wrapping_add(1));
        self.focus = Some((id, n));
    }

    /// The receipt on screen: its outbox item and the server's receipt, once sent.
    pub fn shown_receipt(&self) -> Option<(&OutboxItem, &ReceiptView)> {
        let item = self.item(self.receipt?)?;
        match &item.state {
            SendState::Sent(r) => Some((item, r)),
            _ => None,
        }
    }

    /// The outbox item of the draft, if it was submitted.
    pub fn item(&self, id: Uuid) -> Option<&OutboxItem> {
        self.outbox.iter().find(|i| i.id() == id)
    }

    /// The submission for the current draft and decision.
    pub fn submission(&self) -> Option<Submission> {
        let decision = self.decision.as_ref().ok()?.clone();
        Some(Submission {
            client_id: self.draft.client_id,
            application: self.draft.application.clone(),
            client_as_of: self.today,
            client_pack_id: decision.pack_id.to_string(),
            client_decision: decision,
            contact: self.draft.contact.to_contact(),
            centre_id: self.options.centre_id.clone().filter(|s| !s.is_empty()),
        })
    }

    /// Whether the draft can be submitted (a line chosen, no engine error, not sent yet);
    /// the contact is checked when the applicant presses "send".
    pub fn can_submit(&self) -> bool {
        !self.draft.application.lines.is_empty() && self.decision.is_ok() && !self.draft.submitted
    }

    /// The earliest time a waiting item is due, for the retry timer.
    pub fn next_due_ms(&self) -> Option<u64> {
        self.outbox.iter().filter(|i| i.state == SendState::Waiting).map(|i| i.next_try_ms).min()
    }

    fn set_draft(&mut self, draft: Draft) {
        self.decision = evaluate(&draft.application, self.today);
        self.entry_errors.clear();
        self.draft = draft;
        self.receipt = None;
        self.park = Park::Idle;
        self.confirm = None;
        self.contact_checked = false;
    }

    fn recompute(&mut self) {
        self.decision = evaluate(&self.draft.application, self.today);
    }

    fn apply(&mut self, action: Action) {
        let lang = self.lang;
        match action {
            Action::SetLang(l) => self.lang = l,
            Action::ToggleLine(line, on) => {
                let lines = &mut self.draft.application.lines;
                if on {
                    if !lines.iter().any(|r| r.line == line) {
                        lines.push(LineRequest { line, cost: None, learners: None });
                        lines.sort_by_key(|r| r.line);
                    }
                } else {
                    lines.retain(|r| r.line != line);
                    let prefix = format!("lines.{}.", line.id());
                    self.draft.raw.retain(|k, _| !k.starts_with(&prefix));
                    self.entry_errors.retain(|k, _| !k.starts_with(&prefix));
                }
                self.recompute();
            }
            Action::Answer(id, answer) => {
                if let Answer::Text(t) = &answer {
                    if t.trim().is_empty() {
                        self.draft.raw.remove(&id);
                    } else {
                        self.draft.raw.insert(id.clone(), t.clone());
                    }
                }
                match questions::apply(&mut self.draft.application, &id, &answer) {
                    Ok(()) => {
                        self.entry_errors.remove(&id);
                    }
                    Err(e) => {
                        self.announce = lang.pick(&e.vi, &e.en).to_owned();
                        self.entry_errors.insert(id, e);
                    }
                }
                self.recompute();
            }
            Action::Contact(field, value) => match field {
                "name" => self.draft.contact.name = value,
                "phone" => self.draft.contact.phone = value,
                _ => self.draft.contact.email = value,
            },
            Action::Ask(c) => {
                self.confirm = c;
                if c.is_some() {
                    self.focus_on("kc-confirm-no");
                }
            }
            Action::Restore => {
                if let Some(d) = self.restore.take() {
                    self.set_draft(d);
                    self.announce = lang.pick("Đã mở lại bản nháp.", "Draft restored.").to_owned();
                }
            }
            Action::StartOver(id) => {
                self.restore = None;
                let prefill = self.options.prefill.clone().unwrap_or_default();
                self.set_draft(Draft::new(id, prefill));
                self.announce = lang.pick("Bắt đầu bản tự kiểm tra mới.", "New self-check started.").to_owned();
            }
            Action::Resume(parked) => {
                let mut d = Draft::new(parked.client_id, parked.application);
                for id in questions::ORDER {
                    if matches!(questions::kind(id), Some(questions::Kind::Money | questions::Kind::Count))
                        && let Some(t) = questions::current_text(&d.application, id)
                    {
                        d.raw.insert((*id).to_owned(), t);
                    }
                }
                self.restore = None;
                self.set_draft(d);
                self.announce = lang.pick("Đã mở bản nháp từ mã.", "Draft opened from its code.").to_owned();
            }
            Action::Submit { now_ms } => {
                if !self.can_submit() {
                    return;
                }
                if let Some((field, vi, en)) = self.draft.contact.problems().first().copied() {
                    self.contact_checked = true;
                    self.announce = lang.pick(vi, en).to_owned();
                    self.focus_on(match field {
                        "name" => "kc-contact-name",
                        "email" => "kc-contact-email",
                        _ => "kc-contact-phone",
                    });
                    return;
                }
                let Some(submission) = self.submission() else { return };
                self.outbox.retain(|i| i.id() != submission.client_id);
                self.outbox.push(OutboxItem::new(&submission, now_ms));
                self.draft.submitted = true;
                self.confirm = None;
                self.announce = lang.pick("Đang gửi hồ sơ…", "Sending…").to_owned();
            }
            Action::Sending(id) => {
                if let Some(i) = self.outbox.iter_mut().find(|i| i.id() == id) {
                    i.state = SendState::Sending;
                }
            }
            Action::Sent { id, outcome, now_ms } => {
                let Some(item) = self.outbox.iter_mut().find(|i| i.id() == id) else { return };
                match outcome {
                    SendOutcome::Receipt(receipt) => {
                        self.announce =
                            format!("{} {}", lang.pick("Đã gửi. Mã biên nhận:", "Sent. Receipt code:"), receipt.code);
                        item.state = SendState::Sent(receipt);
                        item.last_error = None;
                        self.receipt = Some(id);
                        self.focus_on("kc-receipt-h");
                    }
                    SendOutcome::Refused { status, body } => {
                        let (vi, en) = refusal_words(status, body.as_ref());
                        self.announce = lang.pick(&vi, &en).to_owned();
                        item.state = SendState::Failed { reason_vi: vi, reason_en: en };
                    }
                    SendOutcome::Transient { vi, en } => {
                        item.attempts += 1;
                        item.state = SendState::Waiting;
                        item.next_try_ms = now_ms + backoff_ms(item.attempts);
                        self.announce = lang
                            .pick(
                                "Chưa gửi được. Hồ sơ đã được giữ trong hàng chờ trên máy này và sẽ tự gửi khi có mạng.",
                                "Not sent yet. It is kept in the outbox on this device and will be sent when the connection is back.",
                            )
                            .to_owned();
                        item.last_error = Some((vi, en));
                        if item.attempts == 1 {
                            self.focus_on("kc-outbox-h");
                        }
                    }
                }
            }
            Action::RetryAll { now_ms } => {
                for i in self.outbox.iter_mut().filter(|i| i.state == SendState::Waiting) {
                    i.next_try_ms = now_ms;
                }
            }
            Action::Retry(id, now_ms) => {
                if let Some(i) = self.outbox.iter_mut().find(|i| i.id() == id)
                    && matches!(i.state, SendState::Waiting | SendState::Failed { .. })
                {
                    i.state = SendState::Waiting;
                    i.next_try_ms = now_ms;
                }
            }
            Action::Discard(id) => {
                self.confirm = None;
                // A sent item holds the only copy of its receipt code on this device: it stays.
                if self.item(id).is_some_and(|i| matches!(i.state, SendState::Sent(_))) {
                    return;
                }
                self.outbox.retain(|i| i.id() != id);
                if self.receipt == Some(id) {
                    self.receipt = None;
                }
                if self.draft.client_id == id {
                    self.draft.submitted = false;
                }
            }
            Action::ShowReceipt(id) => self.receipt = id,
            Action::Park(p) => {
                self.announce = match &p {
                    Park::Parked(code) => format!("{} {code}", lang.pick("Mã tiếp tục:", "Resume code:")),
                    Park::Error(vi, en) => lang.pick(vi, en).to_owned(),
                    _ => self.announce.clone(),
                };
                self.park = p;
            }
            Action::ServerPack(id) => self.server_pack = Some(id),
        }
    }
}

/// A refusal in plain words, from the status and the server's error body.
pub fn refusal_words(status: u16, body: Option<&ErrorBody>) -> (String, String) {
    let server = body.map(|b| {
        let (vi, en) = b.message.split_once(" / ").unwrap_or((&b.message, &b.message));
        let fields_vi: Vec<String> =
            b.fields.iter().map(|f| f.message.split(" / ").next().unwrap_or("").to_owned()).collect();
        let fields_en: Vec<String> =
            b.fields.iter().map(|f| f.message.split(" / ").last().unwrap_or("").to_owned()).collect();
        let join = |m: &str, f: &[String]| if f.is_empty() { m.to_owned() } else { format!("{m}: {}", f.join("; ")) };
        (join(vi, &fields_vi), join(en, &fields_en))
    });
    let (lead_vi, lead_en) = match status {
        409 => (
            "Hồ sơ này đã được gửi trước đó với nội dung khác. Hãy bắt đầu bản tự kiểm tra mới để gửi lại.",
            "This self-check was already sent with different answers. Start a new one to send again.",
        ),
        400 | 422 => {
            ("Máy chủ không nhận hồ sơ vì có thông tin chưa hợp lệ.", "The server did not accept some answers.")
        }
        413 => ("Hồ sơ quá lớn.", "The submission is too large."),
        _ => ("Máy chủ từ chối hồ sơ.", "The server refused the submission."),
    };
    match server {
        Some((vi, en)) if !vi.is_empty() => (format!("{lead_vi} {vi}"), format!("{lead_en} {en}")),
        _ => (lead_vi.to_owned(), lead_en.to_owned()),
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn state() -> State {
        State::new(Options::default(), date!(2026 - 01 - 15), id(1), None, Vec::new())
    }

    fn reduce(s: State, a: Action) -> State {
        (*Rc::new(s).reduce(a)).clone()
    }

    fn machinery_case() -> State {
        let mut s = reduce(state(), Action::ToggleLine(Line::Machinery, true));
        s = reduce(s, Action::Answer("lines.machinery.cost".into(), Answer::Text("800 triệu".into())));
        s = reduce(s, Action::Contact("name", "Cơ sở cơ khí Hòa Bình".into()));
        reduce(s, Action::Contact("phone", "0912 345 678".into()))
    }

    #[test]
    fn sending_needs_a_way_to_reach_the_applicant() {
        let mut s = reduce(state(), Action::ToggleLine(Line::Machinery, true));
        s = reduce(s, Action::Contact("name", "Cơ sở Hòa Bình".into()));
        s = reduce(s, Action::Submit { now_ms: 0 });
        assert!(s.outbox.is_empty(), "no phone, no e-mail: not sent");
        assert!(s.contact_checked);
        assert_eq!(s.focus.map(|f| f.0), Some("kc-contact-phone"));
        s = reduce(s, Action::Contact("phone", "0912 34".into()));
        s = reduce(s, Action::Submit { now_ms: 0 });
        assert!(s.outbox.is_empty(), "an incomplete number is refused");
        s = reduce(s, Action::Contact("phone", "0912 345 678".into()));
        s = reduce(s, Action::Submit { now_ms: 0 });
        assert_eq!(s.outbox.len(), 1);
        assert_eq!(s.outbox[0].contact.as_ref().map(|c| c.name.as_str()), Some("Cơ sở Hòa Bình"));
    }

    #[test]
    fn a_sent_receipt_is_never_discarded_and_discarding_asks_first() {
        let s = reduce(machinery_case(), Action::Submit { now_ms: 0 });
        let s = reduce(s, Action::Ask(Some(Confirm::Discard(id(1)))));
        assert_eq!(s.confirm, Some(Confirm::Discard(id(1))));
        let s = reduce(s, Action::Ask(None));
        assert_eq!((s.confirm, s.outbox.len()), (None, 1), "saying no keeps it");
        let receipt: ReceiptView = serde_json::from_str(
            r#"{"code":"KC-AAAA-BBBB-CCCC","client_id":"00000000-0000-0000-0000-000000000001",
            "received_at":"2026-01-15T08:30:00Z","drift":false,"decision":{"outcome":"eligible","pack_id":"p",
            "papers":[{"id":"x","label":{"vi":"Giấy đăng ký","en":"Registration"}}]}}"#,
        )
        .unwrap();
        let s = reduce(s, Action::Sent { id: id(1), outcome: SendOutcome::Receipt(receipt), now_ms: 1 });
        assert_eq!(s.focus.map(|f| f.0), Some("kc-receipt-h"), "focus moves to the receipt");
        let s = reduce(s, Action::Discard(id(1)));
        assert_eq!(s.outbox.len(), 1, "the only copy of the receipt code stays");
    }

    #[test]
    fn starting_over_asks_first() {
        let s = reduce(machinery_case(), Action::Ask(Some(Confirm::StartOver)));
        assert_eq!(s.confirm, Some(Confirm::StartOver));
        assert!(s.draft.has_answers(), "asking changes nothing");
        let s = reduce(s, Action::StartOver(id(7)));
        assert_eq!((s.confirm, s.draft.client_id, s.draft.has_answers()), (None, id(7), false));
    }

    #[test]
    fn backoff_doubles_and_is_capped_at_five_minutes() {
        assert_eq!(backoff_ms(1), 2_000);
        assert_eq!(backoff_ms(2), 4_000);
        assert_eq!(backoff_ms(3), 8_000);
        assert_eq!(backoff_ms(9), 300_000);
        assert_eq!(backoff_ms(100), 300_000);
    }

    #[test]
    fn answers_update_the_application_and_keep_the_typed_text() {
        let s = machinery_case();
        assert_eq!(
            s.draft.application.line(Line::Machinery).unwrap().cost,
            Some(kc_rules::Vnd::from_const(800_000_000))
        );
        assert_eq!(s.draft.raw["lines.machinery.cost"], "800 triệu");
        assert!(s.decision.is_ok());
        let s = reduce(s, Action::ToggleLine(Line::Machinery, false));
        assert!(s.draft.application.lines.is_empty());
        assert!(s.draft.raw.is_empty());
    }

    #[test]
    fn a_saved_draft_is_offered_back_and_restored() {
        let saved = machinery_case().draft;
        let s = State::new(Options::default(), date!(2026 - 01 - 15), id(2), Some(saved.clone()), Vec::new());
        assert_eq!(s.restore.as_ref(), Some(&saved));
        assert_eq!(s.draft.client_id, id(2));
        let s = reduce(s, Action::Restore);
        assert_eq!(s.draft, saved);
        assert_eq!(s.draft.client_id, id(1), "the draft's own id stays the idempotency key");
        let s = reduce(s, Action::StartOver(id(3)));
        assert_eq!(s.draft.client_id, id(3));
        assert!(!s.draft.has_answers());
    }

    #[test]
    fn submit_queues_with_the_drafts_client_id_and_only_once() {
        let s = reduce(machinery_case(), Action::Submit { now_ms: 1_000 });
        assert_eq!(s.outbox.len(), 1);
        assert_eq!(s.outbox[0].id(), id(1));
        assert!(s.outbox[0].due(1_000));
        let s = reduce(s, Action::Submit { now_ms: 2_000 });
        assert_eq!(s.outbox.len(), 1);
    }

    #[test]
    fn transient_failures_back_off_and_online_retries_at_once() {
        let mut s = reduce(machinery_case(), Action::Submit { now_ms: 0 });
        for (n, now) in [(1u32, 0u64), (2, 10_000)] {
            s = reduce(s, Action::Sending(id(1)));
            assert_eq!(s.outbox[0].state, SendState::Sending);
            let outcome = SendOutcome::Transient { vi: "mất mạng".into(), en: "offline".into() };
            s = reduce(s, Action::Sent { id: id(1), outcome, now_ms: now });
            assert_eq!(s.outbox[0].attempts, n);
            assert_eq!(s.outbox[0].next_try_ms, now + backoff_ms(n));
            assert!(!s.outbox[0].due(now));
        }
        assert_eq!(s.next_due_ms(), Some(10_000 + 4_000));
        s = reduce(s, Action::RetryAll { now_ms: 11_000 });
        assert!(s.outbox[0].due(11_000));
    }

    #[test]
    fn a_receipt_is_shown_and_pack_changes_are_noticed() {
        let s = reduce(machinery_case(), Action::Submit { now_ms: 0 });
        let server = r#"{"code":"KC-AAAA-BBBB-CCCC","client_id":"00000000-0000-0000-0000-000000000001",
            "received_at":"2026-01-15T08:30:00Z","drift":true,"decision":{"outcome":"eligible",
            "pack_id":"2099-01-01.newer","criteria":[],"support":[{"line":"machinery","fund":"national",
            "status":"met","basis":"computed","amount":300000000,"cap_applied":true}],"as_of":"2026-01-15"}}"#;
        let receipt: ReceiptView = serde_json::from_str(server).expect("a full receipt parses into the view");
        assert_eq!(receipt.decision.total(Fund::National), Vnd::from_const(300_000_000));
        let s = reduce(s, Action::Sent { id: id(1), outcome: SendOutcome::Receipt(receipt), now_ms: 5 });
        assert_eq!(s.receipt, Some(id(1)));
        assert!(matches!(s.outbox[0].state, SendState::Sent(_)));
        assert!(s.outbox[0].pack_changed());
    }

    #[test]
    fn conflicts_fail_in_plain_words_and_can_be_discarded() {
        let s = reduce(machinery_case(), Action::Submit { now_ms: 0 });
        let body = ErrorBody { code: "conflict".into(), message: "xung đột / conflict".into(), fields: vec![] };
        let s = reduce(
            s,
            Action::Sent { id: id(1), outcome: SendOutcome::Refused { status: 409, body: Some(body) }, now_ms: 0 },
        );
        let SendState::Failed { reason_vi, .. } = &s.outbox[0].state else { panic!("not failed") };
        assert!(reason_vi.contains("đã được gửi trước đó"));
        assert!(!s.outbox[0].due(u64::MAX), "a refusal is not retried by itself");
        let s = reduce(s, Action::Discard(id(1)));
        assert!(s.outbox.is_empty());
        assert!(!s.draft.submitted);
    }

    #[test]
    fn interrupted_sends_wait_again_after_a_reload() {
        let mut s = reduce(machinery_case(), Action::Submit { now_ms: 0 });
        s = reduce(s, Action::Sending(id(1)));
        let s2 = State::new(Options::default(), date!(2026 - 01 - 15), id(9), None, s.outbox.clone());
        assert_eq!(s2.outbox[0].state, SendState::Waiting);
    }

    #[test]
    fn the_outbox_survives_serialization() {
        let s = reduce(machinery_case(), Action::Submit { now_ms: 0 });
        let json = serde_json::to_string(&s.outbox).unwrap();
        let back: Vec<OutboxItem> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s.outbox);
    }

    #[test]
    fn prefill_and_fixed_province_come_from_the_host() {
        let mut prefill = Application::default();
        prefill.lines.push(LineRequest { line: Line::Training, cost: None, learners: Some(20) });
        let options =
            Options { province: Some("thai_nguyen".into()), prefill: Some(prefill.clone()), ..Options::default() };
        let s = State::new(options, date!(2026 - 01 - 15), id(1), None, Vec::new());
        assert_eq!(s.draft.application, prefill);
        assert!(s.province.is_some());
    }
}
