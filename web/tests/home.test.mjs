// Browser test of the home page served by `liaison serve`.
//
// Environment:
//   LIAISON_BIN              path to the built `liaison` executable (required)
//   LIAISON_SOURCE_DIR       repository root; `<root>/web` is passed as --web-root (required)
//   LIAISON_TEST_ARTIFACTS   where home.png is written (default: the OS temp directory)
//   LIAISON_CHROMIUM         browser executable (default: /usr/bin/chromium)
//
// Run: node --test web/tests/   (or scripts/web-test.sh PATH_TO_LIAISON_BIN)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

const TOTAL_TIMEOUT_MS = 60_000;
const STARTUP_TIMEOUT_MS = 15_000;
const SHUTDOWN_TIMEOUT_MS = 5_000;

const BIN = process.env.LIAISON_BIN;
const SOURCE_DIR = process.env.LIAISON_SOURCE_DIR;
const ARTIFACTS = process.env.LIAISON_TEST_ARTIFACTS || os.tmpdir();
const CHROMIUM = process.env.LIAISON_CHROMIUM || '/usr/bin/chromium';

// The compiled NHS.UK stylesheet asks for the Frutiger web font from the NHS CDN. Liaison's
// Content-Security-Policy (default-src 'self') blocks it, and the test machine has no internet,
// so the browser falls back to Arial, which the NHS.UK design system names as the fallback.
// Those font requests, and only those, are expected to fail.
const EXPECTED_FONT_URL = /^https:\/\/assets\.nhs\.uk\/fonts\//;
const isExpectedFontMessage = (text) => /https:\/\/assets\.nhs\.uk\/fonts\//.test(text) && /font/i.test(text);

let tmpDir;
let server; // ChildProcess of `liaison serve`
let serverExit; // Promise<{code, signal}>
let serverStderr = '';
let browser;
let page;
let baseUrl;
const consoleErrors = [];
const failedRequests = [];

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function run(file, args, timeoutMs) {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, error, stdout, stderr });
    });
  });
}

function tail(text, n = 4000) {
  return text.length > n ? `...${text.slice(-n)}` : text;
}

function killServerNow() {
  if (server && server.exitCode === null && server.signalCode === null) {
    try { server.kill('SIGKILL'); } catch { /* already gone */ }
  }
}

// Last resort if the test process dies without running `after`: never leave a server behind.
// (playwright-core kills the browser it launched when this process exits.)
process.on('exit', killServerNow);

// If this process is killed outright (SIGKILL, for example when the test runner itself dies),
// no handler here runs. A small detached helper holds a pipe from us: when the pipe closes
// without `disarm` having been sent, it kills the pids it was given and removes the temp dir.
const REAPER_SOURCE = `
  const fs = require('node:fs');
  const dir = process.argv[1];
  const pids = [];
  let armed = true;
  let buffered = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    buffered += chunk;
    const lines = buffered.split('\\n');
    buffered = lines.pop();
    for (const line of lines) {
      if (line === 'disarm') armed = false;
      else if (/^\\d+$/.test(line)) pids.push(Number(line));
    }
  });
  process.stdin.on('close', () => {
    if (armed) {
      for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
      try { fs.rmSync(dir, { recursive: true, force: true }); } catch {}
    }
    process.exit(0);
  });
`;
let reaper;
function startReaper(dir) {
  reaper = spawn(process.execPath, ['-e', REAPER_SOURCE, dir], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  reaper.unref();
  reaper.stdin.on('error', () => { /* the reaper is gone; nothing more to tell it */ });
}
function disarmReaper() {
  if (reaper && reaper.stdin.writable) reaper.stdin.end('disarm\n');
}

// Global deadline. node:test's suite timeout does not cover before/after hooks, so a hard
// watchdog ends the whole file, cleaning up first, if it runs longer than TOTAL_TIMEOUT_MS.
const watchdog = setTimeout(() => {
  console.error(`home.test.mjs: gave up after ${TOTAL_TIMEOUT_MS} ms; killing the server and exiting`);
  killServerNow();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  process.exit(1);
}, TOTAL_TIMEOUT_MS);
watchdog.unref();

// Interrupted (Ctrl-C, or the runner going away): still remove the server and the temp dir.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    killServerNow();
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
    process.exit(1);
  });
}

describe('home page', { timeout: TOTAL_TIMEOUT_MS }, () => {
  before(async () => {
    assert.ok(BIN, 'LIAISON_BIN must name the liaison executable');
    assert.ok(SOURCE_DIR, 'LIAISON_SOURCE_DIR must name the repository root');
    assert.ok(fs.existsSync(CHROMIUM), `no browser at ${CHROMIUM} (install Debian's chromium package)`);

    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-web-test-'));
    startReaper(tmpDir);
    const db = `sqlite:${path.join(tmpDir, 'demo.db')}`;

    const demo = await run(BIN, ['demo', '--db', db], 30_000);
    assert.equal(demo.code, 0,
      `liaison demo failed (${demo.error ? demo.error.message : 'exit 0'})\nstdout:\n${tail(demo.stdout)}\nstderr:\n${tail(demo.stderr)}`);

    server = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web-root', path.join(SOURCE_DIR, 'web')],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    if (server.pid) reaper.stdin.write(`${server.pid}\n`);
    serverExit = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));
    server.stderr.setEncoding('utf8');
    server.stderr.on('data', (chunk) => { serverStderr = tail(serverStderr + chunk, 20_000); });

    // The first stdout line must be exactly `listening on http://127.0.0.1:PORT`. Later lines are
    // drained (the readline interface keeps reading) so the server never blocks on a full pipe.
    const lines = createInterface({ input: server.stdout });
    const firstLine = new Promise((resolve, reject) => {
      lines.once('line', resolve);
      server.once('error', reject);
      serverExit.then(({ code, signal }) =>
        reject(new Error(`liaison serve exited early (code ${code}, signal ${signal})\nstderr:\n${serverStderr}`)));
    });
    const line = await withTimeout(firstLine, STARTUP_TIMEOUT_MS, 'liaison serve start-up');
    const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
    assert.ok(match, `unexpected first stdout line from liaison serve: ${JSON.stringify(line)}`);
    assert.ok(Number(match[2]) > 0, 'the server must report the port it actually bound');
    baseUrl = match[1];

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Nothing may leave this machine: anything not from the server under test is refused.
    await context.route((url) => url.origin !== baseUrl, (route) => route.abort('blockedbyclient'));
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !isExpectedFontMessage(msg.text())) {
        consoleErrors.push(`${msg.text()} (${msg.location().url || 'no url'})`);
      }
    });
    page.on('pageerror', (err) => consoleErrors.push(`uncaught: ${err.message}`));
    page.on('requestfailed', (req) => {
      if (!EXPECTED_FONT_URL.test(req.url())) {
        failedRequests.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
      }
    });
    page.on('response', (res) => {
      if (res.status() >= 400) failedRequests.push(`${res.request().method()} ${res.url()}: HTTP ${res.status()}`);
    });

    const response = await page.goto(`${baseUrl}/`, { waitUntil: 'load' });
    assert.ok(response, 'no response for /');
    assert.equal(response.status(), 200, 'GET / status');
    assert.match(response.headers()['content-type'] || '', /^text\/html/, 'GET / content type');
  });

  after(async () => {
    const problems = [];
    if (browser) await browser.close().catch((e) => problems.push(`closing browser: ${e.message}`));
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await withTimeout(serverExit, 5_000, 'killing liaison serve').catch((e) => problems.push(e.message));
    }
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
    disarmReaper();
    clearTimeout(watchdog);
    if (problems.length) console.error(`cleanup: ${problems.join('; ')}`);
  });

  it('has the service name in the h1', async () => {
    const h1 = await page.locator('h1').first().textContent();
    assert.match(h1 || '', /Liaison/);
    assert.match(await page.title(), /Liaison/);
  });

  it('shows the database as healthy', async () => {
    const rows = await page.$$eval('table tbody tr', (trs) => trs.map((tr) => {
      const cells = [...tr.querySelectorAll('th, td')];
      const tag = tr.querySelector('.nhsuk-tag');
      return {
        name: (cells[0]?.textContent || '').trim(),
        status: (cells[1]?.textContent || '').trim(),
        green: Boolean(tag && tag.classList.contains('nhsuk-tag--green')),
      };
    }));
    const database = rows.find((r) => r.name.toLowerCase() === 'database');
    assert.ok(database, `no "database" row in the health table: ${JSON.stringify(rows)}`);
    assert.match(database.status, /^ok$/i, `database status: ${JSON.stringify(database)}`);
    assert.ok(database.green, 'the database status should be a green tag');
  });

  it('loads the NHS.UK stylesheet', async () => {
    const sheet = await page.evaluate(() => {
      const s = [...document.styleSheets].find((x) => x.href && x.href.includes('/nhsuk-frontend/'));
      if (!s) return null;
      try {
        return { href: s.href, rules: s.cssRules.length };
      } catch (e) { // a sheet that failed to load (for example a 404 page) has no readable rules
        return { href: s.href, rules: 0, error: String(e) };
      }
    });
    assert.ok(sheet, 'no NHS.UK frontend stylesheet in document.styleSheets');
    assert.ok(sheet.rules > 100,
      `NHS.UK stylesheet ${sheet.href} has ${sheet.rules} rules${sheet.error ? ` (${sheet.error})` : ''}`);
    const headerBackground = await page.$eval('header.nhsuk-header',
      (el) => getComputedStyle(el).backgroundColor);
    assert.equal(headerBackground, 'rgb(0, 94, 184)', 'the header should be NHS blue');
  });

  it('has no console errors and no failed requests', async () => {
    assert.equal(consoleErrors.length, 0, `console errors:\n${consoleErrors.join('\n')}`);
    assert.equal(failedRequests.length, 0, `failed requests:\n${failedRequests.join('\n')}`);
  });

  it('has no axe-core accessibility violations', async () => {
    // page.evaluate runs through the DevTools protocol, so the page's CSP does not block it
    // (an injected <script> would be blocked by script-src 'self').
    const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const results = await window.axe.run(document, { resultTypes: ['violations'] });
      return results.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')),
      }));
    });
    const report = violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.targets.join('\n    ')}`).join('\n');
    assert.equal(violations.length, 0, `axe-core violations:\n${report}`);
  });

  it('has an accessible sign-in page that shows errors without JavaScript', async () => {
    const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const signIn = await page.goto(`${baseUrl}/login`, { waitUntil: 'load' });
    assert.equal(signIn.status(), 200, 'GET /login status');
    assert.match(await page.title(), /Sign in/);
    await page.fill('#username', 'nobody');
    await page.fill('#password', 'not the password');
    await page.click('button[type=submit]');
    // A refused sign-in answers 401 with the page again, now with an error summary.
    await page.waitForSelector('.nhsuk-error-summary', { timeout: 15000 });
    assert.match(await page.title(), /^Error: /, 'a failed sign-in says so in the title');
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const results = await window.axe.run(document, { resultTypes: ['violations'] });
      return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    assert.equal(violations.length, 0, `axe-core violations on /login:\n${violations.join('\n')}`);
    await page.goto(`${baseUrl}/`, { waitUntil: 'load' });
  });

  it('signs in with the form, shows an accessible account page and signs out with its CSRF-protected form', async () => {
    const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    await page.goto(`${baseUrl}/login`, { waitUntil: 'load' });
    await page.fill('#username', 'demo.midwife');
    await page.fill('#password', 'midwife-demo-2026');
    await Promise.all([page.waitForURL(`${baseUrl}/account`, { timeout: 15000 }), page.click('button[type=submit]')]);
    assert.match(await page.title(), /Your account/);
    // Both forms carry the session's CSRF token in a hidden field.
    const tokens = await page.$$eval('input[name=csrf_token]', (inputs) => inputs.map((i) => i.value));
    assert.equal(tokens.length, 2, 'the password and sign-out forms each carry a token');
    assert.match(tokens[0], /^[0-9a-f]{64}$/);
    assert.equal(tokens[0], tokens[1]);
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const results = await window.axe.run(document, { resultTypes: ['violations'] });
      return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    assert.equal(violations.length, 0, `axe-core violations on /account:\n${violations.join('\n')}`);
    await Promise.all([page.waitForURL(`${baseUrl}/login`, { timeout: 15000 }),
      page.click('form[action="/logout"] button[type=submit]')]);
    // Signed out: the account page now needs a session again.
    const after = await page.goto(`${baseUrl}/account`, { waitUntil: 'load' });
    assert.equal(after.status(), 401, 'GET /account after signing out');
    await page.goto(`${baseUrl}/`, { waitUntil: 'load' });
  });

  it('saves a screenshot', async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, 'home.png');
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(fs.statSync(file).size > 0);
    console.log(`screenshot: ${file}`);
  });

  it('shuts down gracefully on SIGTERM', async () => {
    assert.ok(server.exitCode === null && server.signalCode === null, 'the server is no longer running');
    server.kill('SIGTERM');
    const { code, signal } = await withTimeout(serverExit, SHUTDOWN_TIMEOUT_MS, 'graceful shutdown after SIGTERM');
    assert.equal(signal, null, `liaison serve was killed by ${signal}\nstderr:\n${serverStderr}`);
    assert.equal(code, 0, `liaison serve exited with ${code} after SIGTERM\nstderr:\n${serverStderr}`);
  });
});
