// The widget's other flows in a real browser: the English switch, parking a draft on the
// server and opening it elsewhere by its code, the outbox's "save as file", a refused (409)
// submission explained in plain words and discarded, and the printable receipt.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, setup, w } from './support.mjs';

let server;
let context;
let page;

before(async () => {
  ({ server, context, page } = await setup());
  await page.goto(`${server.url}/`);
  await w(page, '.kc-title').waitFor();
});

after(async () => {
  await context?.close();
  await server?.stop();
});

/** Starts a new self-check (a fresh client id) with the training line requested. */
async function freshTrainingDraft(p) {
  await w(p, '.kc-submit .kc-btn').filter({ hasText: 'Bắt đầu bản mới' }).click();
  // With answers on screen the widget asks first.
  const confirm = w(p, '.kc-confirm .kc-btn').filter({ hasText: 'Xoá và bắt đầu lại' });
  if (await confirm.count()) await confirm.click();
  await w(p, '#kc-line-training').check();
  await w(p, '#kc-contact-name').pressSequentially('Hợp tác xã Đồng Tâm', { delay: 5 });
  await w(p, '#kc-contact-phone').pressSequentially('0912 345 678', { delay: 5 });
  await w(p, '.kc-btn--primary:not([disabled])').waitFor();
}

test('the English switch relabels the widget and switches back', async () => {
  await w(page, '.kc-lang').click();
  await w(page, '.kc[lang=en]').waitFor();
  assert.equal(await w(page, '.kc-title').innerText(), 'Industrial-extension support self-check');
  assert.equal(await w(page, '.kc-lang').innerText(), 'Tiếng Việt');
  await w(page, '.kc-lang').click();
  await w(page, '.kc[lang=vi]').waitFor();
  assert.equal(await w(page, '.kc-title').innerText(), 'Tự kiểm tra điều kiện hỗ trợ khuyến công');
});

test('a draft parked on the server opens on another device by its code', async () => {
  await freshTrainingDraft(page);
  await w(page, '#kc-line-machinery').check();
  await w(page, '.kc-submit .kc-btn').filter({ hasText: 'Lưu lên máy chủ' }).click();
  const code = await w(page, '.kc-submit .kc-notice .kc-code').innerText();
  assert.match(code, /^[A-Z0-9-]{6,}$/, `resume code ${code}`);

  // Another device: its own browser profile, so nothing in local storage.
  const other = await launch();
  try {
    const p2 = await other.newPage();
    await p2.goto(`${server.url}/`);
    await w(p2, '.kc-title').waitFor();
    assert.equal(await w(p2, '#kc-line-machinery').isChecked(), false);
    await w(p2, '#kc-resume-code').fill(code.toLowerCase());
    await w(p2, '.kc-resume button[type=submit]').click();
    await w(p2, '.kc-sr').filter({ hasText: 'Đã mở bản nháp từ mã' }).waitFor();
    assert.equal(await w(p2, '#kc-line-machinery').isChecked(), true);
    assert.equal(await w(p2, '#kc-line-training').isChecked(), true);

    await w(p2, '#kc-resume-code').fill('KC-NOPE-NOPE');
    await w(p2, '.kc-resume button[type=submit]').click();
    await w(p2, '.kc-submit .kc-error').filter({ hasText: 'Không tìm thấy bản nháp' }).waitFor();
  } finally {
    await other.close();
  }
});

test('a queued submission saves as a file; a 409 is explained in plain words; discard removes it', async () => {
  await freshTrainingDraft(page);
  await server.stop();
  await w(page, '.kc-btn--primary').click();
  const item = w(page, '.kc-outbox-item[data-state=waiting]').last();
  await item.waitFor();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    item.locator('button', { hasText: 'Lưu thành tệp' }).click(),
  ]);
  const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.match(download.suggestedFilename(), /^khuyen-cong-[0-9a-f-]{36}\.json$/);
  assert.deepEqual(saved.application.lines.map((l) => l.line), ['training']);
  assert.ok(saved.client_decision && saved.client_pack_id, 'the file is the whole submission');

  // Someone sent the same client id with other content first: the widget's send gets 409.
  await server.start();
  const clash = await fetch(`${server.url}/api/v1/applications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...saved, centre_id: 'another-centre' }),
  });
  assert.equal(clash.status, 201);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  const failed = w(page, `.kc-outbox-item[data-state=failed]`).last();
  await failed.waitFor({ timeout: 30_000 });
  assert.match(await failed.innerText(), /đã được gửi trước đó với nội dung khác/);

  const before = await w(page, '.kc-outbox-item').count();
  await failed.locator('button', { hasText: 'Bỏ khỏi hàng chờ' }).click();
  await failed.locator('button', { hasText: 'Bỏ hồ sơ' }).click();
  await page.waitForFunction(
    (n) => document.querySelector('khuyen-cong-widget').shadowRoot.querySelectorAll('.kc-outbox-item').length === n,
    before - 1,
  );
});

test('the receipt prints alone', async () => {
  await freshTrainingDraft(page);
  await w(page, '.kc-btn--primary').click();
  const receipt = w(page, '.kc-receipt');
  await receipt.waitFor({ timeout: 30_000 });
  assert.match(await receipt.innerText(), /KC-[A-Z0-9]{4}-/);

  // Focus moved to the receipt, not to the page body far above it.
  assert.equal(
    await page.evaluate(() => document.querySelector('khuyen-cong-widget').shadowRoot.activeElement?.id),
    'kc-receipt-h',
  );
  const code = await receipt.locator('.kc-code').innerText();
  // The printable copy is the server's own page: no host header, menu or footer around it.
  const [printable] = await Promise.all([
    page.context().waitForEvent('page'),
    receipt.locator('a', { hasText: 'In biên nhận' }).click(),
  ]);
  await printable.waitForLoadState();
  const paper = await printable.locator('main').innerText();
  assert.match(paper, new RegExp(code));
  assert.match(paper, /Hợp tác xã Đồng Tâm/);
  assert.match(paper, /0912 345 678/);
  assert.match(paper, /giờ Việt Nam/);
  // The centre by the name the server's settings give it, not the id the page sent.
  assert.match(paper, /Trung tâm tiếp nhận\s+Trung tâm Khuyến công Lam Sơn/);
  assert.doesNotMatch(paper, /lam-son-demo/);
  assert.match(paper, /Đào tạo nghề/);
  assert.match(paper, /Giấy tờ cần mang theo/);
  assert.match(paper, /Bước tiếp theo/);
  // Signed by the server: the digest and the key id, to check with `kc verify`.
  assert.match(paper, /Mã kiểm tra \(chữ ký số\)\s+[0-9a-f]{8,}.* khóa [0-9a-f]{16}/);
  assert.equal(await printable.locator('nav, footer').count(), 0);
  await printable.setViewportSize({ width: 360, height: 740 });
  await printable.screenshot({ path: 'target/browser-shots/receipt-page-360.png', fullPage: true });
  // The lookup form takes the code in any case, without dashes.
  await printable.goto(`${server.url}/receipt?code=${code.replaceAll('-', '').toLowerCase()}`);
  assert.match(await printable.locator('main').innerText(), new RegExp(code));
  await printable.close();

  await page.emulateMedia({ media: 'print' });
  try {
    assert.equal(await receipt.isVisible(), true);
    assert.equal(await w(page, '.kc-submit').isVisible(), false);
    assert.equal(await w(page, '.kc-title').isVisible(), false);
    assert.equal(await receipt.locator('.kc-noprint').isVisible(), false);
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
});

test('keyboard only: request a line, pick a commune, answer; the focus ring shows', async () => {
  await freshTrainingDraft(page);
  const active = () => page.evaluate(() => {
    const el = document.querySelector('khuyen-cong-widget').shadowRoot.activeElement;
    if (!el) return null;
    const s = getComputedStyle(el);
    return { id: el.id, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  const tabTo = async (id) => {
    for (let i = 0; i < 60; i++) {
      if ((await active())?.id === id) return;
      await page.keyboard.press('Tab');
    }
    assert.fail(`Tab never reached #${id}`);
  };
  await w(page, '.kc-lang').focus();

  await tabTo('kc-line-machinery');
  const ring = await active();
  assert.ok(ring.outline !== 'none' && ring.width >= 2, `visible focus on the checkbox: ${JSON.stringify(ring)}`);
  await page.keyboard.press('Space');
  assert.equal(await w(page, '#kc-line-machinery').isChecked(), true);

  await tabTo('kc-commune-input');
  await page.keyboard.type('xa phu luong');
  await w(page, '[role=option]').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await w(page, '#kc-commune-chosen').filter({ hasText: 'Đã chọn' }).waitFor();

  await tabTo('kc-q-subject');
  assert.equal(await w(page, '#kc-q-subject').inputValue(), '', 'no subject yet');
  await page.keyboard.press('ArrowDown');
  assert.notEqual(await w(page, '#kc-q-subject').inputValue(), '', 'a subject chosen from the keyboard');
});

test('a submission computed under an older rule pack says which result stands', async () => {
  await freshTrainingDraft(page);
  await server.stop();
  await w(page, '.kc-btn--primary').click();
  await w(page, '.kc-outbox-item[data-state=waiting]').last().waitFor();
  // As if the page had been open since before a rule change: the queued item (and the body
  // it will send) carry an older pack id. The widget reloads its outbox from storage.
  await page.evaluate(() => {
    const key = 'kc-widget/v1/outbox';
    const items = JSON.parse(localStorage.getItem(key));
    const item = items.at(-1);
    const body = JSON.parse(item.body);
    body.client_pack_id = item.client_pack_id = '2025-07-01.000000000000';
    item.body = JSON.stringify(body);
    localStorage.setItem(key, JSON.stringify(items));
  });
  await server.start();
  await page.reload();
  await w(page, '.kc-outbox-item[data-state=sent]').last().waitFor({ timeout: 30_000 });
  await w(page, '.kc-outbox-item').last().locator('button', { hasText: 'Xem biên nhận' }).click();
  const notice = w(page, '.kc-receipt .kc-notice').filter({ hasText: 'Quy định đã thay đổi' });
  await notice.waitFor();
  // The two packs by the date they run to, as people read dates; no raw pack id.
  assert.match(await notice.innerText(), /bộ quy định cập nhật đến 01\/07\/2025 · 00000000 → cập nhật đến \d\d\/\d\d\/\d{4}/);
  assert.doesNotMatch(await notice.innerText(), /2025-07-01\./);
  assert.match(await notice.innerText(), /là kết quả được áp dụng/);
});

test('an amount that cannot be read is flagged and announced, then cleared', async () => {
  await freshTrainingDraft(page);
  await w(page, '#kc-line-machinery').check();
  const cost = w(page, '#kc-q-lines-machinery-cost');
  const error = w(page, '#kc-q-lines-machinery-cost-err');
  assert.equal(await error.getAttribute('aria-live'), 'polite', 'the error region exists before any error');
  await cost.fill('ba trăm con gà');
  await error.filter({ hasText: /\S/ }).waitFor();
  assert.equal(await cost.getAttribute('aria-invalid'), 'true');
  assert.match(await cost.getAttribute('aria-describedby'), /kc-q-lines-machinery-cost-err/);
  await cost.fill('1,5 tỷ');
  await w(page, '#kc-q-lines-machinery-cost-echo').filter({ hasText: '1.500.000.000 đ' }).waitFor();
  assert.equal(await error.innerText(), '');
  assert.equal(await cost.getAttribute('aria-invalid'), null);
});

test('host attributes: language, a fixed province and prefilled answers', async () => {
  const fresh = await launch(); // no saved draft to offer back
  const p = await fresh.newPage();
  try {
    const url = `${server.url}/embed-attributes.html`;
    await p.route(url, (route) => route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="vi"><head><meta charset="utf-8">
        <script type="module" src="/widget/khuyencong-widget.js"></script></head><body>
        <khuyen-cong-widget api-base="" lang="en" province="Thái Nguyên" centre-id="tn"
          prefill-lines="machinery" prefill-subject="household_business"></khuyen-cong-widget>
        </body></html>`,
    }));
    await p.goto(url);
    await w(p, '.kc[lang=en]').waitFor();
    assert.equal(await w(p, '#kc-line-machinery').isChecked(), true);
    assert.equal(await w(p, '#kc-q-subject').inputValue(), 'household_business');
    await w(p, '#kc-commune-input').fill('xa');
    await w(p, '.kc-listbox').waitFor();
    const groups = await w(p, '.kc-listbox [role=group]').evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label')));
    assert.ok(groups.length > 0 && groups.every((g) => g === 'Thái Nguyên'), groups.join(', '));
  } finally {
    await fresh.close();
  }
});
