//! "Tra cứu hồ sơ": a receipt code (any case, dashes optional) opens the server's page of
//! that receipt — the state, the next step, the centre's comment to the applicant, and the
//! whole receipt, printable. A plain form: no code in the bundle for it.

use yew::prelude::*;

use crate::platform;
use crate::state::State;

/// The lookup panel.
pub(crate) fn view(state: &State) -> Html {
    let lang = state.lang;
    html! {
        <section class="kc-card kc-lookup" aria-labelledby="kc-lookup-h">
            <h3 id="kc-lookup-h">{ lang.pick("Tra cứu hồ sơ đã gửi", "Look up a sent application") }</h3>
            <form action={platform::lookup_url(&state.options.api_base)} method="get" target="_blank">
                <input type="hidden" name="lang" value={lang.tag()} />
                <label for="kc-lookup-code">{ lang.pick(
                    "Mã biên nhận (ví dụ KC-7F3K-92QD-M4TX-8HJW)",
                    "Receipt code (e.g. KC-7F3K-92QD-M4TX-8HJW)",
                ) }</label>
                <div class="kc-row">
                    <input id="kc-lookup-code" name="code" type="text" autocomplete="off" spellcheck="false"
                        autocapitalize="characters" required=true />
                    <button type="submit" class="kc-btn">{ lang.pick("Tra cứu", "Look up") }</button>
                </div>
                <p class="kc-help">{ lang.pick(
                    "Kết quả mở trong thẻ mới: tình trạng hồ sơ, bước tiếp theo và ghi chú của trung tâm.",
                    "Opens in a new tab: the state, the next step and the centre's comment.",
                ) }</p>
            </form>
        </section>
    }
}
