// Helpers for the widget's browser tests: the server (start, stop, restart on the same
// port), headless Chromium, and shadow-DOM-aware locators. Run by `cargo xtask test`, which
// sets KC_SERVER_BIN, KC_STATIC_DIR, KC_TEST_DB and KC_CHROMIUM.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const need = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the browser tests with \`cargo xtask test\``);
  return v;
};

/** A free TCP port on loopback. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The kc-server process, restartable on the same port and database. */
export class Server {
  constructor(port) {
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.child = null;
  }

  async start() {
    const env = {
      ...process.env,
      KC_STATIC_DIR: need('KC_STATIC_DIR'),
      KC_DATABASE_URL: `sqlite://${need('KC_TEST_DB')}`,
      // The demo page's centre, named in the settings as `cargo xtask serve` names it.
      KC_CENTRES: 'lam-son-demo=Trung tâm Khuyến công Lam Sơn (trang thử)',
      RUST_LOG: process.env.RUST_LOG || 'warn',
    };
    this.child = spawn(need('KC_SERVER_BIN'), ['serve', '--bind', `127.0.0.1:${this.port}`], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`kc-server exited with ${this.child.exitCode}`);
      try {
        const r = await fetch(`${this.url}/api/v1/rulepack`);
        if (r.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('kc-server did not start within 20 s');
  }

  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    this.child = null;
  }
}

/** Headless Chromium with a fresh profile (`options`: Playwright context options). */
export async function launch(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'kc-chromium-'));
  return chromium.launchPersistentContext(profile, {
    ...options,
    executablePath: process.env.KC_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run',
    ],
  });
}

/** A started server and a fresh browser with one page (page errors logged). */
export async function setup() {
  const server = new Server(await freePort());
  await server.start();
  const context = await launch();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  return { server, context, page };
}

/** A locator inside the widget's (open) shadow root: Playwright's CSS pierces it. */
export const w = (page, selector) => page.locator(`khuyen-cong-widget ${selector}`);
