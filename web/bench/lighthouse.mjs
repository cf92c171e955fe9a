// Lighthouse (mobile preset, simulated throttling) on the demo page served by the real
// server: performance, accessibility, CLS and TBT. Lighthouse is fetched from the npm registry
// at run time (`npm exec`), so the test suite does not carry its 200 packages.
//
// Run by `cargo xtask bench-journey`; environment as for the browser tests (support.mjs).
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { Server, freePort } from '../tests/browser/support.mjs';

const server = new Server(await freePort());
await server.start();
mkdirSync('target', { recursive: true });
const report = 'target/lighthouse-demo.json';
try {
  const run = spawnSync('npm', [
    'exec', '--yes', '--package=lighthouse@12', '--', 'lighthouse', `${server.url}/`,
    '--only-categories=performance,accessibility', '--form-factor=mobile', '--quiet',
    '--chrome-flags=--headless --no-sandbox --disable-gpu',
    '--output=json', `--output-path=${report}`,
  ], { stdio: 'inherit', env: { ...process.env, CHROME_PATH: process.env.KC_CHROMIUM } });
  if (run.status !== 0) throw new Error(`lighthouse exited with ${run.status}`);
} finally {
  await server.stop();
}
const lhr = JSON.parse(readFileSync(report, 'utf8'));
const score = (c) => Math.round(lhr.categories[c].score * 100);
const audit = (a) => lhr.audits[a].displayValue;
console.log(`Lighthouse ${lhr.lighthouseVersion}, mobile: performance ${score('performance')}, `
  + `accessibility ${score('accessibility')}, CLS ${audit('cumulative-layout-shift')}, `
  + `TBT ${audit('total-blocking-time')}, LCP ${audit('largest-contentful-paint')}, FCP ${audit('first-contentful-paint')}`);
console.log(`full report: ${report}`);
