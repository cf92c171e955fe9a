//! The browser edge: clock, storage, network, host events, files. Everything else is pure.

use kc_api::{DraftPark, ErrorBody};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::json;
use crate::state::{Draft, OutboxItem, ParkedView, ReceiptView, SendOutcome};

const DRAFT_KEY: &str = "kc-widget/v1/draft";
const OUTBOX_KEY: &str = "kc-widget/v1/outbox";

/// Milliseconds since the epoch.
pub(crate) fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Today in Vietnam (UTC+7), whatever the device's time zone: the law's dates are Vietnam's,
/// and the server decides on the same date.
pub(crate) fn today() -> time::Date {
    let secs = i64::try_from(now_ms() / 1000).unwrap_or(0);
    time::OffsetDateTime::from_unix_timestamp(secs)
        .map_or(time::macros::date!(2026 - 01 - 01), |t| t.to_offset(kc_rules::VIETNAM).date())
}

/// Whether the browser believes it is online.
pub(crate) fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = storage()?.get_item(key).ok().flatten()?;
    json::from_str(&text)
}

fn save<T: Serialize>(key: &str, value: &T) {
    if let (Some(s), Some(text)) = (storage(), json::to_string(value)) {
        // A full or blocked storage must not break the form.
        let _ = s.set_item(key, &text);
    }
}

/// The saved draft, if any.
pub(crate) fn load_draft() -> Option<Draft> {
    load(DRAFT_KEY)
}

/// Saves the draft.
pub(crate) fn save_draft(d: &Draft) {
    save(DRAFT_KEY, d);
}

/// The saved outbox.
pub(crate) fn load_outbox() -> Vec<OutboxItem> {
    load(OUTBOX_KEY).unwrap_or_default()
}

/// Saves the outbox.
pub(crate) fn save_outbox(items: &[OutboxItem]) {
    save(OUTBOX_KEY, &items);
}

/// A new random client id.
pub(crate) fn new_id() -> uuid::Uuid {
    uuid::Uuid::new_v4()
}

/// Dispatches a host event (`kc-result`, `kc-submitted`) on the mount element; the loader
/// re-dispatches it on `<khuyen-cong-widget>` with `composed: true`.
pub(crate) fn emit<T: Serialize>(target: &web_sys::Element, name: &str, detail: &T) {
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&json::to_js(detail).unwrap_or(JsValue::NULL));
    if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&ev);
    }
}

/// Marks a point on the performance timeline (the browser test reads `kc-first-render`).
pub(crate) fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Offers `text` as a file download.
pub(crate) fn download(file_name: &str, text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &props) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = doc.create_element("a").map(|e| e.unchecked_into::<web_sys::HtmlAnchorElement>()) {
        a.set_href(&url);
        a.set_download(file_name);
        if let Some(body) = doc.body() {
            let _ = body.append_child(&a);
            a.click();
            let _ = body.remove_child(&a);
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Prints the result: opens every collapsed detail of the widget under the event's target
/// first, so the calculation and the criteria are on paper too.
pub(crate) fn print_result(e: &web_sys::MouseEvent) {
    let widget =
        e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|t| t.closest(".kc").ok().flatten());
    if let Some(Ok(all)) = widget.map(|w| w.query_selector_all("details")) {
        for i in 0..all.length() {
            if let Some(d) = all.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                let _ = d.set_attribute("open", "");
            }
        }
    }
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// Moves keyboard focus to the element `id` inside the widget (and so scrolls it into view).
pub(crate) fn focus(root: &web_sys::Element, id: &str) {
    if let Ok(Some(el)) = root.query_selector(&format!("#{id}")) {
        let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}

/// The server's page of a receipt (status, next step, the centre's comment; printable).
pub(crate) fn receipt_url(api_base: &str, code: &str, lang: crate::lang::Lang) -> String {
    format!("{}?code={code}&lang={}", lookup_url(api_base), lang.tag())
}

/// Where the lookup form goes (`GET /receipt?code=…`).
pub(crate) fn lookup_url(api_base: &str) -> String {
    format!("{}/receipt", api_base.trim_end_matches('/'))
}

async fn fetch(method: &str, url: &str, body: Option<String>) -> Result<(u16, String), JsValue> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_mode(web_sys::RequestMode::Cors);
    let headers = web_sys::Headers::new()?;
    headers.set("Accept", "application/json")?;
    if let Some(b) = body {
        headers.set("Content-Type", "application/json")?;
        init.set_body(&JsValue::from_str(&b));
    }
    init.set_headers(&headers);
    let req = web_sys::Request::new_with_str_and_init(url, &init)?;
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_request(&req)).await?.dyn_into()?;
    let text = JsFuture::from(resp.text()?).await?.as_string().unwrap_or_default();
    Ok((resp.status(), text))
}

fn url(api_base: &str, path: &str) -> String {
    format!("{}{}{path}", api_base.trim_end_matches('/'), kc_api::PREFIX)
}

fn offline_words() -> (String, String) {
    if online() {
        ("Không kết nối được máy chủ.".into(), "Could not reach the server.".into())
    } else {
        ("Thiết bị đang không có mạng.".into(), "The device is offline.".into())
    }
}

/// `POST /applications`.
pub(crate) async fn send(api_base: &str, body: String) -> SendOutcome {
    match fetch("POST", &url(api_base, "/applications"), Some(body)).await {
        Err(_) => {
            let (vi, en) = offline_words();
            SendOutcome::Transient { vi, en }
        }
        Ok((200 | 201, text)) => match json::from_str::<ReceiptView>(&text) {
            Some(r) => SendOutcome::Receipt(r),
            None => SendOutcome::Transient {
                vi: "Máy chủ trả lời không đúng định dạng.".into(),
                en: "The server's answer was malformed.".into(),
            },
        },
        Ok((status @ (408 | 425 | 429), _)) | Ok((status @ 500..=599, _)) => SendOutcome::Transient {
            vi: format!("Máy chủ đang bận hoặc gặp lỗi (mã {status})."),
            en: format!("The server is busy or failing (status {status})."),
        },
        Ok((status, text)) => SendOutcome::Refused { status, body: json::from_str::<ErrorBody>(&text) },
    }
}

/// `POST /drafts`: parks the draft, returns the resume code.
pub(crate) async fn park(api_base: &str, draft: &Draft) -> Result<String, (String, String)> {
    let body = DraftPark { client_id: draft.client_id, application: draft.application.clone() };
    match fetch("POST", &url(api_base, "/drafts"), json::to_string(&body)).await {
        Ok((200 | 201, text)) => json::from_str::<ParkedView>(&text)
            .map(|p| p.resume_code)
            .ok_or_else(|| ("Máy chủ trả lời không đúng định dạng.".into(), "Malformed answer.".into())),
        Ok((status, _)) => {
            Err((format!("Không lưu được lên máy chủ (mã {status})."), format!("Could not park (status {status}).")))
        }
        Err(_) => Err(offline_words()),
    }
}

/// `GET /drafts/{code}`.
pub(crate) async fn resume(api_base: &str, code: &str) -> Result<ParkedView, (String, String)> {
    let code: String = code.trim().chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    match fetch("GET", &url(api_base, &format!("/drafts/{code}")), None).await {
        Ok((200, text)) => json::from_str(&text)
            .ok_or_else(|| ("Máy chủ trả lời không đúng định dạng.".into(), "Malformed answer.".into())),
        Ok((404, _)) => Err((
            "Không tìm thấy bản nháp với mã này (có thể đã hết hạn).".into(),
            "No draft with this code (it may have expired).".into(),
        )),
        Ok((status, _)) => Err((
            format!("Không mở được bản nháp (mã {status})."),
            format!("Could not open the draft (status {status})."),
        )),
        Err(_) => Err(offline_words()),
    }
}

/// `GET /rulepack`: the server's pack id.
pub(crate) async fn server_pack(api_base: &str) -> Option<String> {
    let (status, text) = fetch("GET", &url(api_base, "/rulepack"), None).await.ok()?;
    #[derive(serde::Deserialize)]
    struct PackId {
        pack_id: String,
    }
    (status == 200).then(|| json::from_str::<PackId>(&text).map(|i| i.pack_id)).flatten()
}
