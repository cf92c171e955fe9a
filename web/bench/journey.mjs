// The applicant's journey on a 360 × 740 phone, measured rather than asserted: a household
// business in a xã asks for support on a 700,000,000 đ machine. Prints
//
//   taps and typed fields from the first view to a result (a <select> counts two taps: open
//   and pick, as on a phone);
//   the height of the result's first screen (the banner: outcome, amount per fund, words) and
//   whether it fits one screen;
//   the cumulative layout shift of the demo page from navigation to the result.
//
// Run by `cargo xtask bench-journey`; environment as for the browser tests (support.mjs).
import { Server, freePort, launch, w } from '../tests/browser/support.mjs';

const server = new Server(await freePort());
await server.start();
const context = await launch();
let taps = 0;
let typed = 0;
try {
  const page = await context.newPage();
  await page.setViewportSize({ width: 360, height: 740 });
  await page.addInitScript(() => {
    window.kcShift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.kcShift += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(`${server.url}/`);
  await w(page, '.kc-title').waitFor();
  const loadShift = await page.evaluate(() => window.kcShift);

  const tap = async (selector) => { taps += 1; await w(page, selector).click(); };
  const type = async (selector, text) => {
    typed += 1;
    await w(page, selector).pressSequentially(text, { delay: 20 });
  };
  const choose = async (selector, value) => { taps += 2; await w(page, selector).selectOption(value); };

  await tap('#kc-line-machinery');
  await type('#kc-commune-input', 'phu luong');
  await tap('[role=option] >> nth=0');
  await choose('#kc-q-subject', 'household_business');
  await choose('#kc-q-sector', 'agro_forestry_aquatic_processing');
  await type('#kc-q-lines-machinery-cost', '700 triệu');
  for (const id of ['equipment_new', 'no_other_state_funding', 'counterpart_funding']) {
    await tap(`#kc-q-conditions-${id}-true`);
  }
  const banner = w(page, '.kc-result .kc-banner');
  await banner.locator('.kc-outcome').waitFor();
  const outcome = await banner.locator('.kc-outcome').innerText();
  const box = await banner.boundingBox();
  await banner.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'target/browser-shots/journey-result-360.png' });
  const shift = await page.evaluate(() => window.kcShift);

  console.log(`outcome: ${outcome.trim()}`);
  console.log(`taps: ${taps}, typed fields: ${typed} (first view to result)`);
  console.log(`result banner: ${Math.round(box.height)} px high on a 740 px screen (${box.height <= 740 ? 'fits one screen' : 'does NOT fit'})`);
  console.log(`layout shift: ${loadShift.toFixed(3)} while loading, ${shift.toFixed(3)} to the result (unexpected shifts only)`);
} finally {
  await context.close();
  await server.stop();
}
