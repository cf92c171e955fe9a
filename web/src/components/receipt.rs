//! The receipt: code, the centre's receive time in Vietnam's time zone, who sent what, the
//! server's result and amounts, the papers to bring, drift and rule-change notices; a
//! printable copy rendered by the server (no host page around it) and a link to the lookup.

use kc_rules::{Fund, Vnd};
use yew::prelude::*;

use crate::app::outcome_class;
use crate::components::result::amount;
use crate::lang::Lang;
use crate::platform;
use crate::state::State;

/// The receipt panel (when one is chosen).
pub(crate) fn view(state: &State) -> Html {
    let lang = state.lang;
    let Some((item, receipt)) = state.shown_receipt() else { return html! {} };
    let d = &receipt.decision;
    let when = vietnam_time(&receipt.received_at, lang);
    let printable = platform::receipt_url(&state.options.api_base, &receipt.code, lang);
    let funds: Vec<(Fund, Vnd)> =
        [Fund::National, Fund::Local].into_iter().map(|f| (f, d.total(f))).filter(|(_, v)| *v > Vnd::ZERO).collect();
    html! {
        <section class="kc-card kc-receipt" aria-labelledby="kc-receipt-h">
            <h3 id="kc-receipt-h" tabindex="-1">{ lang.pick("Biên nhận hồ sơ tự kiểm tra", "Self-check receipt") }</h3>
            <p class="kc-sent">{ lang.pick("Đã gửi đến trung tâm khuyến công.", "Sent to the industrial-extension centre.") }</p>
            <dl class="kc-dl">
                <dt>{ lang.pick("Mã biên nhận", "Receipt code") }</dt>
                <dd><strong class="kc-code">{ receipt.code.clone() }</strong></dd>
                <dt>{ lang.pick("Thời điểm trung tâm nhận", "Received by the centre") }</dt>
                <dd>{ when }</dd>
                if let Some(c) = &item.centre_id {
                    <dt>{ lang.pick("Trung tâm", "Centre") }</dt>
                    <dd>{ c.clone() }</dd>
                }
                if let Some(c) = &item.contact {
                    <dt>{ lang.pick("Người gửi", "Sent by") }</dt>
                    <dd>
                        { c.name.clone() }
                        { for [c.phone.as_ref(), c.email.as_ref()].into_iter().flatten().map(|v| html! { <><br />{ v.clone() }</> }) }
                    </dd>
                }
                <dt>{ lang.pick("Kết quả (theo máy chủ)", "Result (server)") }</dt>
                <dd class={classes!("kc-outcome", outcome_class(d.outcome))}>{ lang.outcome(d.outcome) }</dd>
                { for funds.iter().map(|(f, v)| html! {
                    <>
                        <dt>{ lang.fund(*f) }</dt>
                        <dd>{ amount(*v) }</dd>
                    </>
                }) }
            </dl>
            <p class="kc-help">{ lang.pick(
                "Bản in của biên nhận có nội dung đề nghị, chi phí và giấy tờ cần mang theo.",
                "The printable receipt lists the request, the costs and the papers to bring.",
            ) }</p>
            if receipt.drift {
                <p class="kc-notice" role="note">{ lang.pick(
                    "Kết quả do máy chủ tính khác với kết quả đã hiển thị trên máy của bạn. Kết quả của máy chủ (ở trên) là kết quả được áp dụng.",
                    "The server's result differs from the one shown on your device. The server's result (above) is the one that stands.",
                ) }</p>
            }
            if item.pack_changed() {
                <p class="kc-notice" role="note">{ {
                    let (before, now) = (kc_rules::pack_label(&item.client_pack_id), kc_rules::pack_label(&d.pack_id));
                    match lang {
                        Lang::Vi => format!(
                            "Quy định đã thay đổi từ khi bạn tự kiểm tra (bộ quy định {} → {}). Kết quả theo quy định hiện hành của máy chủ là kết quả được áp dụng.",
                            before.vi, now.vi),
                        Lang::En => format!(
                            "The rules changed since your self-check (rule pack {} → {}). The server's result under the current rules stands.",
                            before.en, now.en),
                    }
                } }</p>
            }
            <p class="kc-help">{ lang.pick(
                "Giữ mã biên nhận để tra cứu tình trạng hồ sơ và khi liên hệ trung tâm khuyến công.",
                "Keep the receipt code to look up the application and when you contact the centre.",
            ) }</p>
            <div class="kc-actions kc-noprint">
                <a class="kc-btn" href={printable} target="_blank" rel="noopener">{ lang.pick("In biên nhận, tra cứu tình trạng", "Print, look up the status") }</a>
            </div>
        </section>
    }
}

/// An RFC 3339 time as people in Vietnam read it: `15:30 15/01/2026 (giờ Việt Nam)`.
/// Anything that does not parse is shown as given.
pub(crate) fn vietnam_time(s: &str, lang: Lang) -> String {
    let zone = lang.pick("giờ Việt Nam", "Vietnam time");
    to_vietnam(s).map_or_else(
        || s.to_owned(),
        |(d, h, m)| format!("{h:02}:{m:02} {:02}/{:02}/{} ({zone})", d.day(), u8::from(d.month()), d.year()),
    )
}

/// `(date, hour, minute)` in UTC+07:00 (Vietnam has no daylight saving time).
fn to_vietnam(s: &str) -> Option<(time::Date, i32, i32)> {
    let (date, rest) = s.split_once(['T', 't', ' '])?;
    let date = kc_rules::iso_date::parse(date)?;
    let num = |t: &str| t.parse::<i32>().ok();
    let (h, m) = (num(rest.get(0..2)?)?, num(rest.get(3..5)?)?);
    let offset = if rest.ends_with(['Z', 'z']) {
        0
    } else {
        let i = rest.rfind(['+', '-'])?;
        let sign = if &rest[i..=i] == "-" { -1 } else { 1 };
        sign * (num(rest.get(i + 1..i + 3)?)? * 60 + num(rest.get(i + 4..i + 6)?)?)
    };
    let minutes = h * 60 + m - offset + 7 * 60;
    let (day_shift, minutes) = (minutes.div_euclid(24 * 60), minutes.rem_euclid(24 * 60));
    let date = match day_shift {
        0 => date,
        1 => date.next_day()?,
        -1 => date.previous_day()?,
        _ => return None,
    };
    Some((date, minutes / 60, minutes % 60))
}

#[cfg(test)]
mod tests {
    use super::vietnam_time;
    use crate::lang::Lang;

    #[test]
    fn receipt_times_are_shown_in_vietnam_time() {
        assert_eq!(vietnam_time("2026-01-15T08:30:12.5Z", Lang::Vi), "15:30 15/01/2026 (giờ Việt Nam)");
        assert_eq!(vietnam_time("2026-01-15T20:05:00Z", Lang::Vi), "03:05 16/01/2026 (giờ Việt Nam)");
        assert_eq!(vietnam_time("2026-01-15T08:30:12+07:00", Lang::En), "08:30 15/01/2026 (Vietnam time)");
        assert_eq!(vietnam_time("2026-01-01T01:00:00+09:00", Lang::Vi), "23:00 31/12/2025 (giờ Việt Nam)");
        assert_eq!(vietnam_time("not a time", Lang::Vi), "not a time");
    }
}
