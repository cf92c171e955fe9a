//! The outbox: every queued submission with its state, retry, discard and "save as file".

use yew::prelude::*;

use crate::app::{Dispatch, line_names};
use crate::platform;
use crate::state::{Action, Confirm, OutboxItem, SendState, State};

fn item_view(state: &State, dispatch: &Dispatch, item: &OutboxItem) -> Html {
    let lang = state.lang;
    let id = item.id();
    let (class, status) = match &item.state {
        SendState::Waiting => ("kc-st--waiting", lang.pick("Đang chờ gửi", "Waiting").to_owned()),
        SendState::Sending => ("kc-st--sending", lang.pick("Đang gửi…", "Sending…").to_owned()),
        SendState::Sent(receipt) => {
            ("kc-st--sent", format!("{} {}", lang.pick("Đã gửi — biên nhận", "Sent — receipt"), receipt.code))
        }
        SendState::Failed { reason_vi, reason_en } => (
            "kc-st--failed",
            format!("{} {}", lang.pick("Không gửi được:", "Failed:"), lang.pick(reason_vi, reason_en)),
        ),
    };
    let retry = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Retry(id, platform::now_ms())))
    };
    let ask_discard = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Ask(Some(Confirm::Discard(id)))))
    };
    let discard = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Discard(id)))
    };
    let keep = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Ask(None)))
    };
    let confirming = state.confirm == Some(Confirm::Discard(id));
    let show = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::ShowReceipt(Some(id))))
    };
    let save = {
        let body = item.body.clone();
        Callback::from(move |_: MouseEvent| platform::download(&format!("khuyen-cong-{id}.json"), &body))
    };
    let waiting_note = match (&item.state, &item.last_error) {
        (SendState::Waiting, Some((vi, en))) => {
            let secs = item.next_try_ms.saturating_sub(platform::now_ms()).div_ceil(1000);
            Some(match lang {
                crate::lang::Lang::Vi => {
                    format!("{vi} Tự thử lại sau khoảng {secs} giây hoặc khi có mạng (đã thử {} lần).", item.attempts)
                }
                crate::lang::Lang::En => {
                    format!("{en} Retrying in about {secs} s or when back online ({} tries).", item.attempts)
                }
            })
        }
        _ => None,
    };
    let sent = matches!(item.state, SendState::Sent(_));
    let sending = item.state == SendState::Sending;
    let lines = line_names(lang, item.lines.iter().copied());
    let label_retry = lang.pick("Thử lại ngay", "Retry now");
    let label_save = lang.pick("Lưu thành tệp", "Save as file");
    let label_discard = lang.pick("Bỏ khỏi hàng chờ", "Discard");
    html! {
        <li class={classes!("kc-outbox-item", class)} data-state={class.trim_start_matches("kc-st--").to_owned()}>
            <p class="kc-st">{ status }</p>
            <p class="kc-dim">{ lines }</p>
            if let Some(n) = waiting_note { <p class="kc-help">{ n }</p> }
            if confirming {
                <div class="kc-confirm" role="alertdialog" aria-labelledby={format!("kc-confirm-{id}")}>
                    <p id={format!("kc-confirm-{id}")}>{ lang.pick(
                        "Bỏ hồ sơ này khỏi hàng chờ? Hồ sơ chưa được gửi và sẽ bị xoá khỏi máy này. Bạn có thể lưu thành tệp trước.",
                        "Discard this submission? It has not been sent and will be deleted from this device. You can save it as a file first.",
                    ) }</p>
                    <div class="kc-actions">
                        <button type="button" class="kc-btn kc-btn--danger" onclick={discard}>{ lang.pick("Bỏ hồ sơ", "Discard") }</button>
                        <button type="button" class="kc-btn kc-btn--ghost" id="kc-confirm-no" onclick={keep}>{ lang.pick("Giữ lại", "Keep it") }</button>
                    </div>
                </div>
            } else {
                <div class="kc-actions">
                    if sent {
                        // A sent item keeps its receipt code: it cannot be discarded.
                        <button type="button" class="kc-btn kc-btn--ghost" onclick={show}>{ lang.pick("Xem biên nhận", "Show receipt") }</button>
                    } else {
                        <button type="button" class="kc-btn kc-btn--ghost" onclick={retry} disabled={sending}>{ label_retry }</button>
                        <button type="button" class="kc-btn kc-btn--ghost" onclick={save}>{ label_save }</button>
                        <button type="button" class="kc-btn kc-btn--ghost" onclick={ask_discard} disabled={sending}>{ label_discard }</button>
                    }
                </div>
            }
        </li>
    }
}

/// The outbox panel (hidden when empty).
pub(crate) fn view(state: &State, dispatch: &Dispatch) -> Html {
    if state.outbox.is_empty() {
        return html! {};
    }
    let lang = state.lang;
    html! {
        <section class="kc-card kc-outbox" aria-labelledby="kc-outbox-h">
            <h3 id="kc-outbox-h" tabindex="-1">{ lang.pick("Hồ sơ gửi đi", "Outbox") }</h3>
            <p class="kc-help">{ lang.pick(
                "Hồ sơ được giữ trên máy này cho đến khi gửi được. Nếu không có mạng, bạn có thể lưu thành tệp và mang đến trung tâm.",
                "Submissions stay on this device until they are sent. Without a connection you can save one as a file and bring it to the centre.",
            ) }</p>
            <ul class="kc-outbox-list">{ for state.outbox.iter().map(|i| item_view(state, dispatch, i)) }</ul>
        </section>
    }
}
