// First render of the widget in headless Chromium, cold: a fresh browser per sample, the demo
// page loaded from the real server, nothing injected into the page while it loads (the marks
// are read once it is done). Prints each sample and min / median / p90 / max.
//
//   kc-bundle-loaded  the loader's `init()` resolved (wasm fetched, compiled, instantiated)
//   kc-first-render   the widget's first effect ran (its DOM laid out and painted)
//
// Run by `cargo xtask bench-widget`; environment as for the browser tests (support.mjs).
import { Server, freePort, launch } from '../tests/browser/support.mjs';

const samples = Number(process.argv[2] || 10);
const server = new Server(await freePort());
await server.start();
const firstRender = [];
const bundleLoaded = [];
try {
  for (let i = 0; i < samples; i++) {
    const context = await launch();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/`, { waitUntil: 'load' });
      let marks;
      for (let tries = 0; tries < 100; tries++) {
        await new Promise((r) => setTimeout(r, 250));
        marks = await page.evaluate(() => Object.fromEntries(
          ['kc-bundle-loaded', 'kc-first-render'].map((n) => [n, performance.getEntriesByName(n)[0]?.startTime]),
        ));
        if (marks['kc-first-render'] !== undefined) break;
      }
      if (marks['kc-first-render'] === undefined) throw new Error('the widget never rendered');
      const render = marks['kc-first-render'] - marks['kc-bundle-loaded'];
      firstRender.push(render);
      bundleLoaded.push(marks['kc-bundle-loaded']);
      console.log(`sample ${i + 1}: bundle loaded ${marks['kc-bundle-loaded'].toFixed(1)} ms after navigation, `
        + `first render ${render.toFixed(1)} ms after that`);
    } finally {
      await context.close();
    }
  }
} finally {
  await server.stop();
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return `min ${s[0].toFixed(1)}  median ${at(0.5).toFixed(1)}  p90 ${at(0.9).toFixed(1)}  max ${s.at(-1).toFixed(1)} ms`;
};
console.log(`first render after the bundle loaded (${samples} cold loads): ${stats(firstRender)}`);
console.log(`bundle loaded after navigation start:              ${stats(bundleLoaded)}`);
