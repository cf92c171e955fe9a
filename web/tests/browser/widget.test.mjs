// The widget in a real browser: embedded in the demo page, a machinery case answered, the
// amount in figures and words, an offline submission queued then sent with a receipt, and
// axe-core with no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { launch, setup, w } from './support.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let server;
let context;
let page;
const hostEvents = [];

before(async () => {
  ({ server, context, page } = await setup());
  await page.exposeFunction('kcHostEvent', (type, detail) => hostEvents.push({ type, detail }));
  await page.addInitScript(() => {
    for (const type of ['kc-result', 'kc-submitted']) {
      document.addEventListener(type, (e) => window.kcHostEvent(type, e.detail));
    }
  });
});

after(async () => {
  await context?.close();
  await server?.stop();
});

/** Answers a yes/no question by its engine id. */
async function yes(id, value = true) {
  const dom = `#kc-q-${id.replaceAll('.', '-')}-${value}`;
  await w(page, dom).check();
}

test('the demo page embeds the widget with one snippet and it renders fast', async () => {
  await page.goto(`${server.url}/`);
  await w(page, '.kc-title').waitFor();
  const [loaded, rendered] = await page.evaluate(() => [
    performance.getEntriesByName('kc-bundle-loaded')[0]?.startTime,
    performance.getEntriesByName('kc-first-render')[0]?.startTime,
  ]);
  assert.ok(loaded !== undefined && rendered !== undefined, 'performance marks are set');
  console.log(`first render: ${(rendered - loaded).toFixed(1)} ms after the bundle was loaded`);
  assert.equal(await w(page, '.kc-title').innerText(), 'Tự kiểm tra điều kiện hỗ trợ khuyến công');
  // The host page's hostile `button { color: hotpink !important }` does not reach in.
  const color = await w(page, '.kc-lang').evaluate((b) => getComputedStyle(b).color);
  assert.notEqual(color, 'rgb(255, 105, 180)');
});

test('the commune search ignores diacritics', async () => {
  const input = w(page, '#kc-commune-input');
  await input.fill('dac khu');
  await w(page, '.kc-listbox').waitFor();
  const options = await w(page, '[role=option]').allInnerTexts();
  assert.ok(options.length > 0 && options.every((o) => o.startsWith('Đặc khu')), options.join(', '));
  await input.fill('thai nguyen');
  await w(page, '[role=group][aria-label="Thái Nguyên"]').first().waitFor();
  await input.press('Escape');
});

test('a machinery case shows 300.000.000 đ and its words', async () => {
  await w(page, '#kc-line-machinery').check();
  const commune = w(page, '#kc-commune-input');
  await commune.fill('xa phu luong');
  await w(page, '[role=option]').first().waitFor();
  await commune.press('Enter');
  await w(page, '#kc-commune-chosen').filter({ hasText: 'Đã chọn' }).waitFor();
  await w(page, '#kc-q-subject').selectOption('household_business');
  await w(page, '#kc-q-sector').selectOption('agro_forestry_aquatic_processing');
  const cost = w(page, '#kc-q-lines-machinery-cost');
  await cost.pressSequentially('800 triệu', { delay: 30 });
  assert.equal(await cost.inputValue(), '800 triệu', 'every key stays in the field');
  await w(page, '#kc-q-lines-machinery-cost-echo').filter({ hasText: '800.000.000 đ' }).waitFor();
  assert.match(await w(page, '#kc-q-lines-machinery-cost-echo').innerText(), /Tám trăm triệu đồng/);
  await yes('conditions.equipment_new');
  await yes('conditions.no_other_state_funding');
  await yes('conditions.counterpart_funding');
  const result = w(page, '.kc-result');
  await result.locator('.kc-outcome--yes').waitFor();
  const text = await result.innerText();
  assert.match(text, /300\.000\.000 đ/);
  assert.match(text, /Ba trăm triệu đồng/);
  assert.doesNotMatch(text, /mức trần đang áp dụng/, 'citations wait behind a tap');
  await result.locator('summary', { hasText: 'Cách tính' }).click();
  assert.match(await result.innerText(), /mức trần đang áp dụng/);
  // The rules by the date they run to, not the pack's id.
  assert.match(await result.locator('.kc-pack').innerText(), /^Bộ quy định cập nhật đến \d\d\/\d\d\/\d{4} · [0-9a-f]{8} · áp dụng ngày/);
  assert.doesNotMatch(await result.innerText(), /\d{4}-\d\d-\d\d\./);
  await result.screenshot({ path: 'target/browser-shots/result-360.png' });
  const last = hostEvents.filter((e) => e.type === 'kc-result').at(-1);
  assert.equal(last.detail.outcome, 'eligible');
  assert.equal(last.detail.amount_national, 300000000);
  assert.equal(JSON.stringify(last.detail).includes('commune'), false, 'no personal data in host events');
});

test('the rules are taken on the date in Vietnam, whatever the device time zone', async () => {
  // UTC−10: the device's date is not Vietnam's for 17 hours of every day.
  const far = await launch({ timezoneId: 'Pacific/Honolulu' });
  try {
    const p = await far.newPage();
    const vietnam = () => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const before = vietnam();
    await p.goto(`${server.url}/`);
    await w(p, '#kc-line-machinery').check();
    const line = await w(p, '.kc-result .kc-pack').innerText();
    const dates = new Set([before, vietnam()]);
    assert.ok([...dates].some((d) => line.endsWith(`áp dụng ngày ${d}`)), `${line} is not on ${[...dates]}`);
  } finally {
    await far.close();
  }
});

test('offline submit is queued, then sent with a receipt when the server is back', async () => {
  await server.stop();
  await w(page, '#kc-contact-name').pressSequentially('Cơ sở cơ khí Phú Lương', { delay: 5 });
  await w(page, '#kc-contact-phone').pressSequentially('0912 345 678', { delay: 5 });
  await w(page, '.kc-btn--primary').click();
  const item = w(page, '.kc-outbox-item');
  await item.and(page.locator('[data-state=waiting]')).waitFor();
  assert.match(await item.innerText(), /Đang chờ gửi/);
  await server.start();
  // The browser's online event retries at once (otherwise the backoff timer does).
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await item.and(page.locator('[data-state=sent]')).waitFor({ timeout: 30_000 });
  const receipt = w(page, '.kc-receipt');
  await receipt.waitFor();
  const text = await receipt.innerText();
  assert.match(text, /KC-/);
  assert.match(text, /300\.000\.000 đ/);
  const submitted = hostEvents.find((e) => e.type === 'kc-submitted');
  assert.ok(submitted, 'kc-submitted reached the host');
  assert.equal(JSON.stringify(submitted.detail).includes('Phú Lương'), false, 'no personal data in host events');
});

test('axe-core finds no serious or critical violation', async () => {
  // Through the DevTools protocol: the demo page's CSP (rightly) blocks inline scripts.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  for (const v of violations) console.log(`axe: ${v.impact} ${v.id} ${JSON.stringify(v.nodes)}`);
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, []);
});

test('works at 320 px wide without horizontal scrolling', async () => {
  await page.setViewportSize({ width: 320, height: 800 });
  const overflow = await page.evaluate(() => {
    const host = document.querySelector('khuyen-cong-widget');
    return host.getBoundingClientRect().right - document.documentElement.clientWidth;
  });
  assert.ok(overflow <= 1, `widget overflows by ${overflow}px`);
});

test('the draft is offered back on return', async () => {
  const p2 = await context.newPage();
  await p2.goto(`${server.url}/`);
  await w(p2, '.kc-title').waitFor();
  // The last draft was submitted, so a fresh one starts; answer, reload, get it back.
  await w(p2, '#kc-line-training').check();
  await p2.waitForTimeout(200);
  await p2.reload();
  await w(p2, '.kc-restore').waitFor();
  await w(p2, '.kc-restore .kc-btn').first().click();
  assert.equal(await w(p2, '#kc-line-training').isChecked(), true);
  await p2.close();
});
