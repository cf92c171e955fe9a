//! The embeddable khuyến công self-check widget (Yew, compiled to WebAssembly).
//!
//! The host page loads `khuyencong-widget.js`, which defines `<khuyen-cong-widget>`, attaches
//! a shadow root and calls [`mount`] with the element's attributes. The engine (`kc-rules`)
//! and the bundled rule pack run here, in the browser: the result updates as the applicant
//! answers, without a server round trip. See `docs/embed.md`.
//!
//! Layout: [`state`] (the reducer, no `web_sys`), [`questions`] (how each engine question is
//! asked), [`search`] (the commune index), [`lang`] (Vietnamese / English); `app` and
//! `components` are the views, `platform` the browser edge (storage, network, events).

mod app;
mod components;
pub mod json;
pub mod lang;
mod platform;
pub mod questions;
pub mod search;
pub mod state;

use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// A mounted widget; `destroy()` unmounts it.
#[wasm_bindgen]
pub struct Widget {
    handle: Option<yew::AppHandle<app::App>>,
}

#[wasm_bindgen]
impl Widget {
    /// Unmounts the widget.
    pub fn destroy(&mut self) {
        if let Some(h) = self.handle.take() {
            h.destroy();
        }
    }
}

/// Mounts the widget into `root` (an element inside the custom element's shadow root) with
/// the options as JSON (`lang`, `api_base`, `province`, `centre_id`, `prefill`).
#[wasm_bindgen]
pub fn mount(root: web_sys::Element, options_json: &str) -> Widget {
    let options: state::Options = json::from_str(options_json).unwrap_or_else(|| {
        web_sys::console::warn_1(
            &"khuyen-cong-widget: options ignored (not valid JSON of the documented shape)".into(),
        );
        state::Options::default()
    });
    let props = app::AppProps { options, root: root.clone() };
    Widget { handle: Some(yew::Renderer::<app::App>::with_root_and_props(root, props).render()) }
}
