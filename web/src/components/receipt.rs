//! The receipt: code, server time, the server's result, drift and rule-change notices; printable.

use kc_rules::Fund;
use yew::prelude::*;

use crate::app::outcome_class;
use crate::components::result::amount;
use crate::platform;
use crate::state::{SendState, State};

/// The receipt panel (when one is chosen).
pub(crate) fn view(state: &State) -> Html {
    let lang = state.lang;
    let Some(item) = state.receipt.and_then(|id| state.item(id)) else { return html! {} };
    let SendState::Sent(receipt) = &item.state else { return html! {} };
    let d = &receipt.decision;
    let when = rfc3339_for_people(&receipt.received_at);
    let print = Callback::from(|_: MouseEvent| platform::print());
    let funds: Vec<(Fund, kc_rules::Vnd)> = [Fund::National, Fund::Local]
        .into_iter()
        .map(|f| (f, d.total(f)))
        .filter(|(_, v)| *v > kc_rules::Vnd::ZERO)
        .collect();
    html! {
        <section class="kc-card kc-receipt" aria-labelledby="kc-receipt-h">
            <h3 id="kc-receipt-h">{ lang.pick("Biên nhận hồ sơ tự kiểm tra", "Self-check receipt") }</h3>
            <dl class="kc-dl">
                <dt>{ lang.pick("Mã biên nhận", "Receipt code") }</dt>
                <dd><strong class="kc-code">{ receipt.code.clone() }</strong></dd>
                <dt>{ lang.pick("Thời điểm trung tâm nhận", "Received by the centre") }</dt>
                <dd>{ when }</dd>
                <dt>{ lang.pick("Kết quả (theo máy chủ)", "Result (server)") }</dt>
                <dd class={classes!("kc-outcome", outcome_class(d.outcome))}>{ lang.outcome(d.outcome) }</dd>
                { for funds.iter().map(|(f, v)| html! {
                    <>
                        <dt>{ lang.fund(*f) }</dt>
                        <dd>{ amount(*v) }</dd>
                    </>
                }) }
            </dl>
            if receipt.drift {
                <p class="kc-notice" role="note">{ lang.pick(
                    "Kết quả do máy chủ tính khác với kết quả đã hiển thị trên máy của bạn. Kết quả của máy chủ (ở trên) là kết quả được áp dụng.",
                    "The server's result differs from the one shown on your device. The server's result (above) is the one that stands.",
                ) }</p>
            }
            if item.pack_changed() {
                <p class="kc-notice" role="note">{ match lang {
                    crate::lang::Lang::Vi => format!(
                        "Quy định đã thay đổi từ khi bạn tự kiểm tra (bộ quy định {} → {}). Kết quả theo quy định hiện hành của máy chủ là kết quả được áp dụng.",
                        item.client_pack_id, d.pack_id),
                    crate::lang::Lang::En => format!(
                        "The rules changed since your self-check (rule pack {} → {}). The server's result under the current rules stands.",
                        item.client_pack_id, d.pack_id),
                } }</p>
            }
            <p class="kc-help">{ lang.pick(
                "Giữ mã biên nhận để tra cứu và khi liên hệ trung tâm khuyến công.",
                "Keep the receipt code to check the status and when you contact the centre.",
            ) }</p>
            <div class="kc-actions kc-noprint">
                <button type="button" class="kc-btn" onclick={print}>{ lang.pick("In biên nhận", "Print receipt") }</button>
            </div>
        </section>
    }
}

/// `2026-01-15T08:30:12.5+07:00` → `08:30 15/01/2026 (UTC+07:00)`; anything else as given.
pub(crate) fn rfc3339_for_people(s: &str) -> String {
    let Some((date, rest)) = s.split_once('T') else { return s.to_owned() };
    let mut d = date.split('-');
    let (Some(y), Some(m), Some(day)) = (d.next(), d.next(), d.next()) else { return s.to_owned() };
    let hm = rest.get(..5).unwrap_or(rest);
    let zone = if rest.ends_with('Z') || rest.ends_with('z') {
        "UTC".to_owned()
    } else {
        rest.rfind(['+', '-']).map_or_else(String::new, |i| format!("UTC{}", &rest[i..]))
    };
    format!("{hm} {day}/{m}/{y} ({zone})")
}

#[cfg(test)]
mod tests {
    #[test]
    fn receipt_times_read_like_vietnamese_dates() {
        assert_eq!(super::rfc3339_for_people("2026-01-15T08:30:12.5Z"), "08:30 15/01/2026 (UTC)");
        assert_eq!(super::rfc3339_for_people("2026-01-15T08:30:12+07:00"), "08:30 15/01/2026 (UTC+07:00)");
    }
}
