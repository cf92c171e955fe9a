// <khuyen-cong-widget>: the embed loader. One module script defines the element; each element
// gets a shadow root (style isolation), the widget's CSS, and a Yew app mounted inside it.
// `cargo xtask dist` replaces the CSS placeholder below with web/static/widget.css.
import init, { mount } from './kc_widget.js';

const CSS = "/*KC_CSS*/";
const EVENTS = ['kc-result', 'kc-submitted'];
const PREFILL = {
  // attribute → how it becomes part of the Application (engine wire format)
  lines: (v, a) => { a.lines = v.split(/[\s,]+/).filter(Boolean).map((line) => ({ line })); },
  subject: (v, a) => { a.subject = v; },
  commune: (v, a) => { (a.location ||= {}).commune_code = Number(v); },
  sector: (v, a) => { a.sector = v; },
};

let ready;
const load = () => (ready ||= init({ module_or_path: new URL('./kc_widget_bg.wasm', import.meta.url) }).then(() => {
  performance.mark('kc-bundle-loaded');
}));

function sheet() {
  try {
    const s = new CSSStyleSheet();
    s.replaceSync(CSS);
    return { adopt: s };
  } catch {
    const el = document.createElement('style');
    el.textContent = CSS;
    return { el };
  }
}

class KhuyenCongWidget extends HTMLElement {
  async connectedCallback() {
    if (this._root) return;
    const shadow = this.shadowRoot || this.attachShadow({ mode: 'open' });
    const css = sheet();
    if (css.adopt) shadow.adoptedStyleSheets = [css.adopt]; else shadow.append(css.el);
    const root = document.createElement('div');
    root.className = 'kc-host';
    shadow.append(root);
    this._root = root;
    for (const type of EVENTS) {
      root.addEventListener(type, (e) => {
        e.stopPropagation();
        this.dispatchEvent(new CustomEvent(type, { detail: e.detail, bubbles: true, composed: true }));
      });
    }
    root.innerHTML = '<p class="kc-loading" role="status">Đang tải công cụ tự kiểm tra… / Loading…</p>';
    try {
      await load();
    } catch (err) {
      console.error('khuyen-cong-widget: could not load', err);
      // Where to send the applicant instead: the host's own page, else the server's.
      const href = this.getAttribute('fallback-href') || this.getAttribute('api-base') || new URL('../', import.meta.url).href;
      const box = document.createElement('div');
      box.className = 'kc-fail';
      box.setAttribute('role', 'alert');
      box.innerHTML = '<p lang="vi"><strong>Không tải được công cụ tự kiểm tra khuyến công.</strong> '
        + 'Vui lòng <a>mở công cụ tại trang của trung tâm</a> hoặc liên hệ trực tiếp trung tâm khuyến công.</p>'
        + '<p lang="en">The self-check could not load. <a>Open it on the centre\'s site</a> or contact the centre.</p>';
      for (const a of box.querySelectorAll('a')) a.href = href;
      root.replaceChildren(box);
      return;
    }
    root.textContent = '';
    const prefill = {};
    for (const [name, apply] of Object.entries(PREFILL)) {
      const v = this.getAttribute('prefill-' + name);
      if (v) apply(v.trim(), prefill);
    }
    try {
      Object.assign(prefill, JSON.parse(this.getAttribute('prefill') || '{}'));
    } catch {
      console.warn('khuyen-cong-widget: the prefill attribute is not JSON; ignored');
    }
    const options = {
      lang: (this.getAttribute('lang') || document.documentElement.lang || 'vi').toLowerCase().startsWith('en') ? 'en' : 'vi',
      api_base: this.getAttribute('api-base') || '',
      province: this.getAttribute('province') || null,
      centre_id: this.getAttribute('centre-id') || null,
      prefill: Object.keys(prefill).length ? prefill : null,
    };
    this._widget = mount(root, JSON.stringify(options));
  }

  disconnectedCallback() {
    if (this._widget) {
      this._widget.destroy();
      this._widget = null;
    }
    if (this._root) {
      this._root.remove();
      this._root = null;
    }
  }
}

if (!customElements.get('khuyen-cong-widget')) {
  customElements.define('khuyen-cong-widget', KhuyenCongWidget);
}
