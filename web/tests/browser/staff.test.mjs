// The staff side as a centre officer uses it, in headless Chromium at 1280 px: log in,
// search by receipt code, filter by commune name (and a bad name keeps the form), open an
// application, print it (print media: the A4 slip), correct an answer, change status in
// bulk, manage an account, see a candidate rule pack's impact; axe-core on every page with no serious or critical violation;
// 1280 px screenshots into target/browser-shots.
//
// Its own database: `kc-server staff bench-seed` fills it with applications decided by the
// server's own engine, and `kc-server staff add` makes the first admin, as a centre would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, freePort, launch } from './support.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = 'target/browser-shots';
mkdirSync(SHOTS, { recursive: true });

const ADMIN = 'quan.tri@sct.vn';
const PASSWORD = 'mật-khẩu-quản-trị-thử';

let server;
let context;
let page;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-staff-browser-'));
  process.env.KC_TEST_DB = join(dir, 'staff.sqlite3');
  const env = { ...process.env, KC_DATABASE_URL: `sqlite://${process.env.KC_TEST_DB}`, RUST_LOG: 'warn' };
  const bin = process.env.KC_SERVER_BIN;
  execFileSync(bin, ['staff', 'bench-seed', '--rows', '240'], { env, stdio: 'ignore' });
  execFileSync(bin, ['staff', 'add', '--email', ADMIN, '--role', 'admin'], {
    env: { ...env, KC_STAFF_PASSWORD: PASSWORD },
    stdio: 'ignore',
  });
  server = new Server(await freePort());
  await server.start();
  context = await launch();
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.setViewportSize({ width: 1280, height: 900 });
});

after(async () => {
  await context?.close();
  await server?.stop();
});

/** axe-core through the DevTools protocol (the staff CSP rightly blocks inline scripts). */
async function axe(name) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  for (const v of violations) console.log(`axe ${name}: ${v.impact} ${v.id} ${JSON.stringify(v.nodes)}`);
  assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), [], name);
}

const shot = (name) => page.screenshot({ path: `${SHOTS}/staff-${name}-1280.png`, fullPage: true });

/** Receipt codes of the list, in order. */
const codes = () => page.locator('tbody a[href^="/staff/applications/KC-"]').allInnerTexts();

test('logs in', async () => {
  await page.goto(`${server.url}/staff/login`);
  assert.equal(await page.locator('main h1').innerText(), 'Đăng nhập cán bộ');
  await axe('login');
  await shot('login');
  await page.fill('#email', ADMIN);
  await page.fill('#password', PASSWORD);
  await page.click('main button');
  await page.waitForURL('**/staff/applications');
  assert.equal(await page.locator('main h1').innerText(), 'Hồ sơ tự kiểm tra');
  assert.equal((await codes()).length, 50, 'the first page of 50');
});

test('searches by receipt code in any case, dashes left out', async () => {
  const [first] = await codes();
  await page.fill('#f-q', first.toLowerCase().replaceAll('-', ''));
  await page.click('form.filters button');
  await page.waitForLoadState();
  assert.deepEqual(await codes(), [first]);
  // The applicant's name and phone are in the row.
  const row = await page.locator('tbody tr').first().innerText();
  assert.match(row, /09\d{8}/);
  await page.click('text=Xoá bộ lọc');
});

test('filters by commune name from the picker; a bad name keeps the form', async () => {
  const place = await page.locator('tbody tr').first().locator('td').nth(4).innerText();
  const commune = place.split('\n')[1].trim();
  const options = await page.locator('#communes option').count();
  assert.ok(options > 3000, `the picker offers the official list (${options})`);
  await page.fill('#f-commune', commune);
  await page.selectOption('#f-status', 'received');
  await page.click('form.filters button');
  await page.waitForLoadState();
  const places = await page.locator('tbody tr td:nth-child(5)').allInnerTexts();
  assert.ok(places.length > 0 && places.every((p) => p.includes(commune)), places.join(' | '));
  await axe('list');
  await shot('list');
  await page.fill('#f-commune', 'Xã Không Có Thật');
  await page.click('form.filters button');
  await page.waitForLoadState();
  assert.match(await page.locator('#e-commune').innerText(), /Không có xã, phường, đặc khu “Xã Không Có Thật”/);
  assert.equal(await page.inputValue('#f-commune'), 'Xã Không Có Thật', 'the typed value is kept');
  assert.equal(await page.inputValue('#f-status'), 'received', 'the other fields too');
  await axe('list with an error');
  await shot('list-error');
  await page.fill('#f-commune', commune);
  await page.click('form.filters button');
  await page.waitForLoadState();
});

let opened;

test('opens an application: every answer and criterion labelled, each fund explained', async () => {
  opened = (await codes())[0];
  await page.click(`text=${opened}`);
  await page.waitForURL(`**/staff/applications/${opened}`);
  const main = await page.locator('main').innerText();
  for (const h of ['Tóm tắt', 'Câu trả lời', 'Tiêu chí', 'Hỗ trợ theo nguồn kinh phí', 'Lịch sử', 'Xét duyệt']) {
    assert.ok(main.includes(h), h);
  }
  assert.ok(!/no_double_funding|conditions\.|household_business/.test(main), 'no raw engine ids');
  assert.ok(main.includes('Không trùng nguồn ngân sách'));
  await axe('detail');
  await shot('detail');
});

test('prints one A4 dossier slip', async (t) => {
  await page.emulateMedia({ media: 'print' });
  t.after(() => page.emulateMedia({ media: 'screen' }));
  assert.equal(await page.locator('header.top').isVisible(), false, 'no navigation on paper');
  assert.equal(await page.locator('section.slip').isVisible(), true);
  assert.equal(await page.locator('#h-review').isVisible(), false, 'no forms on paper');
  const slip = await page.locator('section.slip').innerText();
  for (const part of ['PHIẾU TIẾP NHẬN HỒ SƠ', opened, 'Người đề nghị', 'Liên hệ', 'Tổng hỗ trợ', 'đồng', 'Tiêu chí']) {
    assert.ok(slip.includes(part), part);
  }
  await page.screenshot({ path: `${SHOTS}/staff-print-1280.png`, fullPage: true });
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  console.log(`print: ${pages} A4 page(s)`);
  assert.equal(pages, 1, 'one A4 page');
});

test('corrects an answer: a new version, recomputed, both shown', async () => {
  const option = page.locator('#field option[value$=".cost"]').first();
  await page.selectOption('#field', await option.getAttribute('value'));
  await page.fill('#value', '700.000.000');
  await page.fill('#why', 'Theo hoá đơn gốc');
  await page.click('text=Lưu bản sửa');
  await page.waitForURL(`**/staff/applications/${opened}`);
  const main = await page.locator('main').innerText();
  assert.ok(main.includes('Kết quả trước và sau khi cán bộ sửa'));
  assert.ok(main.includes('Sau khi cán bộ sửa') && main.includes('700.000.000 đ'));
  assert.ok(main.includes('Theo hoá đơn gốc'), 'in the history');
  await axe('detail after a correction');
  await shot('detail-corrected');
});

test('changes status in bulk', async () => {
  await page.goto(`${server.url}/staff/applications?status=received&sort=code&dir=asc`);
  const picked = (await codes()).slice(0, 3);
  for (const c of picked) await page.check(`#pick-${c}`);
  await page.selectOption('#bulk-to', 'rejected');
  await page.click('fieldset button');
  await page.waitForLoadState();
  // Rejecting needs a comment: the form comes back with the ticks kept.
  assert.match(await page.locator('#bulk-error').innerText(), /Cần ghi ý kiến/);
  for (const c of picked) assert.equal(await page.isChecked(`#pick-${c}`), true);
  await page.selectOption('#bulk-to', 'under_review');
  await page.click('fieldset button');
  await page.waitForURL('**/staff/applications?status=received**');
  const left = await codes();
  assert.ok(picked.every((c) => !left.includes(c)), 'they left the "received" filter');
  await page.goto(`${server.url}/staff/applications?status=under_review`);
  const moved = await codes();
  assert.ok(picked.every((c) => moved.includes(c)));
});

test('manages an account: add, disable, reset a password', async () => {
  await page.goto(`${server.url}/staff/accounts`);
  await page.fill('#new-email', 'can.bo.moi@sct.vn');
  await page.selectOption('#new-role', 'province_staff');
  await page.selectOption('#new-prov', { index: 3 });
  await page.fill('#new-pw', 'mật-khẩu-ban-đầu-dài');
  await page.click('section[aria-labelledby="h-add"] button');
  await page.waitForURL('**/staff/accounts');
  const row = page.locator('tr', { hasText: 'can.bo.moi@sct.vn' });
  await row.locator('select[name="active"]').selectOption('0');
  await row.locator('text=Lưu').click();
  await page.waitForURL('**/staff/accounts');
  assert.equal(await page.locator('tr', { hasText: 'can.bo.moi@sct.vn' }).locator('select[name="active"]').inputValue(), '0');
  // The last admin cannot disable themselves.
  const me = page.locator('tr', { hasText: ADMIN });
  await me.locator('select[name="active"]').selectOption('0');
  await me.locator('text=Lưu').click();
  await page.waitForLoadState();
  assert.match(await page.locator('main p.err').innerText(), /quản trị viên cuối cùng/);
  await axe('accounts');
  await shot('accounts');
});

test('the overview, audit log and tokens pages', async () => {
  await page.goto(`${server.url}/staff/overview`);
  assert.ok((await page.locator('main svg').count()) >= 5, 'server-drawn charts');
  await axe('overview');
  await shot('overview');
  await page.goto(`${server.url}/staff/audit`);
  const audit = await page.locator('main').innerText();
  assert.ok(audit.includes('Đổi trạng thái') && audit.includes('Sửa câu trả lời') && audit.includes('Khoá tài khoản'));
  await axe('audit');
  await shot('audit');
  await page.goto(`${server.url}/staff/tokens`);
  await axe('tokens');
  await page.goto(`${server.url}/staff/password`);
  await axe('password');
});

test("a candidate rule pack's impact, uploaded as a file", async () => {
  // The running pack as served, with the national machinery cap raised to 400 tr from 2026-01-01.
  const pack = await (await fetch(`${server.url}/api/v1/rulepack/full`)).json();
  const cap = pack.params['machinery.cap'];
  cap.values = cap.values.filter((v) => v.from < '2026-01-01');
  cap.values.push({ from: '2026-01-01', value: '400000000', citation: { document: 'Thông tư thay thế (diễn tập)', provision: '' }, confidence: 'R', note: null });
  pack.id = 'candidate-raised-cap';
  const file = join(mkdtempSync(join(tmpdir(), 'kc-candidate-')), 'candidate.json');
  writeFileSync(file, JSON.stringify(pack));

  await page.goto(`${server.url}/staff/applications`);
  await page.click('header nav >> text=Ảnh hưởng quy tắc mới');
  await page.waitForURL('**/staff/impact');
  await axe('impact-form');
  await page.setInputFiles('#f-pack', file);
  await page.fill('#f-as-of', '2026-06-01');
  await page.click('main form button');
  await page.waitForLoadState();
  const report = await page.locator('main').innerText();
  assert.match(report, /240 hồ sơ được đánh giá lại/);
  assert.match(report, /Không có gì đã lưu bị thay đổi/);
  assert.match(report, /Kinh phí khuyến công quốc gia/);
  assert.ok(!/machinery|national|need_more_answers/.test(report), 'no raw engine ids');
  await axe('impact');
  await shot('impact');

  // Not a pack: the message says where, in Vietnamese.
  writeFileSync(file, '{"id": 7}');
  await page.setInputFiles('#f-pack', file);
  await page.click('main form button');
  await page.waitForLoadState();
  assert.match(await page.locator('main p.err').innerText(), /Tệp không phải bộ quy tắc: lỗi tại «id»/);
});
