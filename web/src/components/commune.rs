//! The commune picker: an ARIA combobox over the 3,321 official communes, searched without
//! diacritics and grouped by province.

use yew::prelude::*;

use crate::lang::Lang;
use crate::search;
use crate::state::pack;

/// Props.
#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    /// Language.
    pub(crate) lang: Lang,
    /// The chosen commune.
    pub(crate) value: Option<u32>,
    /// A province fixed by the host page.
    pub(crate) province: Option<u16>,
    /// Called with the chosen commune (or `None` when cleared).
    pub(crate) on_pick: Callback<Option<u32>>,
    /// The question text.
    pub(crate) label: String,
}

/// "Phường Hoàn Kiếm, Thành phố Hà Nội".
pub(crate) fn commune_label(code: u32) -> Option<String> {
    let c = pack().commune(code)?;
    let p = pack().province(c.province_code)?;
    Some(format!("{}, {}", c.name, p.name))
}

/// The picker.
#[component]
pub(crate) fn CommunePicker(props: &Props) -> Html {
    let lang = props.lang;
    let query = use_state(String::new);
    let open = use_state(|| false);
    let active = use_state(|| 0usize);

    let groups = if *open { search::index().search(pack(), &query, props.province) } else { Vec::new() };
    let flat: Vec<u32> = groups.iter().flat_map(|g| g.hits.iter().map(|h| h.code)).collect();
    let active_code = flat.get(*active).copied();

    let pick = {
        let (on_pick, open, query) = (props.on_pick.clone(), open.clone(), query.clone());
        Callback::from(move |code: u32| {
            on_pick.emit(Some(code));
            query.set(String::new());
            open.set(false);
        })
    };
    let oninput = {
        let (query, open, active) = (query.clone(), open.clone(), active.clone());
        Callback::from(move |e: InputEvent| {
            query.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value());
            open.set(true);
            active.set(0);
        })
    };
    let onkeydown = {
        let (open, active, pick, flat) = (open.clone(), active.clone(), pick.clone(), flat.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowDown" => {
                e.prevent_default();
                if !*open {
                    open.set(true);
                    active.set(0);
                } else if !flat.is_empty() {
                    active.set((*active + 1) % flat.len());
                }
            }
            "ArrowUp" => {
                e.prevent_default();
                if !flat.is_empty() {
                    active.set((*active + flat.len() - 1) % flat.len());
                }
            }
            "Enter" if *open => {
                e.prevent_default();
                if let Some(code) = flat.get(*active) {
                    pick.emit(*code);
                }
            }
            "Escape" => open.set(false),
            _ => {}
        })
    };
    let onfocus = {
        let open = open.clone();
        Callback::from(move |_: FocusEvent| open.set(true))
    };
    let onblur = {
        let open = open.clone();
        Callback::from(move |_: FocusEvent| open.set(false))
    };
    let clear = {
        let on_pick = props.on_pick.clone();
        Callback::from(move |_: MouseEvent| on_pick.emit(None))
    };

    let fixed = props.province.and_then(|p| pack().province(p)).map(|p| p.name.clone());
    let chosen = props.value.and_then(commune_label);
    let count = flat.len();
    let status = if *open {
        match (count, lang) {
            (0, Lang::Vi) => "Không tìm thấy xã, phường, đặc khu nào.".to_owned(),
            (0, Lang::En) => "No commune found.".to_owned(),
            (n, Lang::Vi) => format!("{n} kết quả. Dùng phím mũi tên để chọn."),
            (n, Lang::En) => format!("{n} results. Use the arrow keys to choose."),
        }
    } else {
        String::new()
    };

    html! {
        <div class="kc-field kc-commune">
            <label for="kc-commune-input">{ props.label.clone() }</label>
            if let Some(p) = &fixed {
                <p class="kc-help" id="kc-commune-fixed">{ format!("{} {p}", lang.pick("Trong địa bàn:", "Within:")) }</p>
            }
            <input
                id="kc-commune-input"
                type="text"
                role="combobox"
                autocomplete="off"
                spellcheck="false"
                aria-autocomplete="list"
                aria-expanded={if *open && count > 0 { "true" } else { "false" }}
                aria-controls="kc-commune-list"
                aria-activedescendant={active_code.filter(|_| *open).map(|c| format!("kc-commune-{c}"))}
                aria-describedby="kc-commune-chosen"
                placeholder={lang.pick("Gõ tên xã/phường, ví dụ: thai nguyen", "Type a name, e.g. thai nguyen").to_owned()}
                value={(*query).clone()}
                {oninput}
                {onkeydown}
                {onfocus}
                {onblur}
            />
            <div class="kc-sr" aria-live="polite">{ status }</div>
            if *open && count > 0 {
                <div class="kc-listbox" id="kc-commune-list" role="listbox" aria-label={lang.pick("Xã, phường, đặc khu", "Communes").to_owned()}>
                    { for groups.iter().map(|g| html! {
                        <div role="group" aria-label={g.province.clone()} class="kc-group">
                            <div class="kc-group-name" aria-hidden="true">{ g.province.clone() }</div>
                            { for g.hits.iter().map(|h| {
                                let code = h.code;
                                let selected = Some(code) == active_code;
                                let onmousedown = {
                                    let pick = pick.clone();
                                    Callback::from(move |e: MouseEvent| {
                                        e.prevent_default();
                                        pick.emit(code);
                                    })
                                };
                                html! {
                                    <div
                                        role="option"
                                        id={format!("kc-commune-{code}")}
                                        class={classes!("kc-option", selected.then_some("kc-option--active"))}
                                        aria-selected={if selected { "true" } else { "false" }}
                                        {onmousedown}
                                    >{ h.name.clone() }</div>
                                }
                            }) }
                        </div>
                    }) }
                </div>
            }
            <p class="kc-chosen" id="kc-commune-chosen">
                if let Some(c) = chosen {
                    { format!("{} {c} ", lang.pick("Đã chọn:", "Chosen:")) }
                    <button type="button" class="kc-btn kc-btn--link" onclick={clear}>{ lang.pick("Bỏ chọn", "Clear") }</button>
                } else {
                    { lang.pick("Chưa chọn xã, phường, đặc khu.", "No commune chosen yet.") }
                }
            </p>
        </div>
    }
}
