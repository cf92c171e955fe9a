// The widget as people meet it: embedded with the exact snippet of docs/embed.md in a host
// page on another origin (another loopback port), under a hostile stylesheet and a dark
// theme; amounts typed key by key with Backspace, paste and an IME composition; axe-core
// inside the shadow root; 360 px screenshots into target/browser-shots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { freePort, setup, w } from './support.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = 'target/browser-shots';
mkdirSync(SHOTS, { recursive: true });

let server;
let context;
let page;
let host;
let hostUrl;

/** The snippet of docs/embed.md, pointed at the test server. */
function snippet(api) {
  const doc = readFileSync('docs/embed.md', 'utf8');
  const html = doc.match(/```html\n([\s\S]*?)```/)[1];
  return html.replaceAll('https://khuyencong.example.gov.vn', api);
}

const HOSTILE = `
  html { font-family: "Comic Sans MS", cursive; }
  body { text-transform: uppercase; letter-spacing: 3px; text-align: justify; font-style: italic; line-height: 3; color: hotpink; }
  * { word-spacing: 8px; }
  khuyen-cong-widget { all: revert; font-size: 40px; color: red; text-indent: 50px; }
  article * { font-weight: 900 !important; }`;
const DARK = `
  body { background: #0f1216; color: #e8edf2; }
  khuyen-cong-widget { --kc-background: #14181d; --kc-surface: #1d232a; --kc-text: #e8edf2; --kc-muted: #b4bfca;
    --kc-border: #6b7886; --kc-primary: #8ab4f8; --kc-on-primary: #0b1a2e; --kc-focus: #ffb74d;
    --kc-success: #7fd89b; --kc-danger: #ff8a80; --kc-notice-background: #3a2e12; --kc-notice-text: #ffd98a; }`;

before(async () => {
  ({ server, context, page } = await setup());
  const port = await freePort();
  hostUrl = `http://127.0.0.1:${port}`;
  host = createServer((req, res) => {
    const style = req.url.includes('dark') ? DARK : HOSTILE;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Trang của trung tâm</title>
<style>${style}</style></head><body><header><h1>Sở Công Thương</h1></header><main><article>
<p>Bài viết giới thiệu chương trình khuyến công.</p>
${snippet(server.url)}
</article></main><footer>Chân trang</footer></body></html>`);
  });
  await new Promise((r) => host.listen(port, '127.0.0.1', r));
});

after(async () => {
  await context?.close();
  await server?.stop();
  host?.close();
});

async function axeInShadow(p) {
  await p.evaluate(AXE);
  const violations = await p.evaluate(async () => {
    const r = await window.axe.run({ include: [['khuyen-cong-widget']] }, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  for (const v of violations) console.log(`axe: ${v.impact} ${v.id} ${JSON.stringify(v.nodes)}`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

test('the documented snippet works on another origin, its typography its own under a hostile stylesheet', async () => {
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(`${hostUrl}/hostile`);
  await w(page, '.kc-title').waitFor();
  const style = await w(page, '.kc-intro').evaluate((el) => {
    const s = getComputedStyle(el);
    return { t: s.textTransform, ls: s.letterSpacing, ta: s.textAlign, fs: s.fontStyle, ws: s.wordSpacing, ti: s.textIndent };
  });
  assert.deepEqual(style, { t: 'none', ls: 'normal', ta: 'start', fs: 'normal', ws: '0px', ti: '0px' });
  await page.screenshot({ path: `${SHOTS}/hostile-360.png`, fullPage: false });
  assert.deepEqual(await axeInShadow(page), []);
});

test('an amount typed key by key keeps every key, with Backspace, paste and an IME composition', async () => {
  await w(page, '#kc-line-machinery').check();
  const cost = w(page, '#kc-q-lines-machinery-cost');
  await cost.click();
  await cost.pressSequentially('700.000.0000', { delay: 40 });
  await cost.press('Backspace');
  assert.equal(await cost.inputValue(), '700.000.000');
  await w(page, '#kc-q-lines-machinery-cost-echo').filter({ hasText: '700.000.000 đ' }).waitFor();
  assert.match(await w(page, '#kc-q-lines-machinery-cost-echo').innerText(), /Bảy trăm triệu đồng/);
  // Delete mid-value: caret after "700", delete back to "70", type "5".
  await cost.press('Home');
  for (let i = 0; i < 3; i++) await cost.press('ArrowRight');
  await cost.press('Backspace');
  await cost.pressSequentially('5', { delay: 40 });
  assert.equal(await cost.inputValue(), '705.000.000');
  // Paste.
  await cost.fill('');
  await page.evaluate(() => {
    const el = document.querySelector('khuyen-cong-widget').shadowRoot.querySelector('#kc-q-lines-machinery-cost');
    el.focus();
    document.execCommand('insertText', false, '1,5 tỷ');
  });
  assert.equal(await cost.inputValue(), '1,5 tỷ');
  await w(page, '#kc-q-lines-machinery-cost-echo').filter({ hasText: '1.500.000.000 đ' }).waitFor();
  // An IME composition (Telex "trieeuj" → "triệu"), as Vietnamese keyboards send it.
  await cost.fill('');
  await cost.pressSequentially('700 ', { delay: 40 });
  const cdp = await page.context().newCDPSession(page);
  for (const part of ['t', 'tr', 'tri', 'trie', 'triê', 'triêu', 'triệu']) {
    await cdp.send('Input.imeSetComposition', { text: part, selectionStart: part.length, selectionEnd: part.length });
  }
  await cdp.send('Input.insertText', { text: 'triệu' });
  assert.equal(await cost.inputValue(), '700 triệu');
  await w(page, '#kc-q-lines-machinery-cost-echo').filter({ hasText: '700.000.000 đ' }).waitFor();
  const focused = await page.evaluate(() => document.querySelector('khuyen-cong-widget').shadowRoot.activeElement?.id);
  assert.equal(focused, 'kc-q-lines-machinery-cost', 'the field kept focus throughout');
  // A slip of the keyboard gets a gentle check, not silence.
  await cost.fill('');
  await cost.pressSequentially('7', { delay: 40 });
  await w(page, '#kc-q-lines-machinery-cost-check').filter({ hasText: 'triệu' }).waitFor();
  await page.screenshot({ path: `${SHOTS}/typing-360.png` });
});

test('a dark theme through the documented variables passes axe in every state reached', async () => {
  await page.goto(`${hostUrl}/dark`);
  await w(page, '.kc-title').waitFor();
  // The last test's answers are offered back: start over instead.
  await w(page, '.kc-restore .kc-btn').filter({ hasText: 'Bắt đầu lại' }).click();
  await w(page, '#kc-line-machinery').check();
  const commune = w(page, '#kc-commune-input');
  await commune.pressSequentially('phu luong', { delay: 20 });
  await w(page, '[role=option]').first().waitFor();
  assert.deepEqual(await axeInShadow(page), [], 'with the commune list open');
  await commune.press('Enter');
  await w(page, '#kc-q-subject').selectOption('household_business');
  await w(page, '#kc-q-lines-machinery-cost').pressSequentially('700 triệu', { delay: 20 });
  await w(page, '.kc-banner').waitFor();
  await page.screenshot({ path: `${SHOTS}/dark-360.png`, fullPage: true });
  assert.deepEqual(await axeInShadow(page), [], 'with a result');
  const bg = await w(page, '#kc-q-lines-machinery-cost').evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(bg, 'rgb(20, 24, 29)', 'fields follow --kc-background');
});

test('print before submitting shows the result and its papers, not an empty widget', async () => {
  await page.emulateMedia({ media: 'print' });
  try {
    assert.equal(await w(page, '.kc-result').isVisible(), true);
    assert.equal(await w(page, '.kc-form').isVisible(), false);
    assert.equal(await w(page, '.kc-submit').isVisible(), false);
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
});
