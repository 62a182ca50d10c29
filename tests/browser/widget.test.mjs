// End-to-end test of web/icd-search-widget.js in real headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core). run-widget-test.sh builds the small test
// index and calls it; it can also be run by hand:
//
//   node widget.test.mjs --serve build/searcher/serve/icd-serve --index DIR --web web \
//        --screenshot build/tests/artifacts/widget.png
//
// It starts a plain HTTP server for a host page (another origin: its own port), then
// icd-serve on a free port (--port 0; the port is read from its first output line) with
// --cors-origin set to exactly that host origin, and stops both on every exit path.
// CHROMIUM overrides the browser path. Prints one line per passed check; exits 1 with
// "FAIL: ..." on the first failure.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const opts = {};
for (let i = 2; i < process.argv.length; i += 2) {
  const [k, v] = [process.argv[i], process.argv[i + 1]];
  if (!/^--(serve|index|web|screenshot)$/.test(k) || v === undefined) {
    console.error('usage: node widget.test.mjs --serve ICD_SERVE --index INDEX_DIR --web WEB_DIR --screenshot PNG');
    process.exit(2);
  }
  opts[k.slice(2)] = v;
}
for (const k of ['serve', 'index', 'web', 'screenshot']) {
  if (!opts[k]) {
    console.error(`widget.test.mjs: --${k} is required`);
    process.exit(2);
  }
}
const shot = path.resolve(opts.screenshot); // the demo page, list open
const shotDetail = shot.replace(/(\.png)?$/, '-detail.png'); // the demo page, after the pick
const shotNarrow = shot.replace(/(\.png)?$/, '-320px.png'); // the host page, 320 px wide
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
// Exactly the flags of the brief; playwright-core adds its own automation switches.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LAY_QUERY = 'muscle wasting right lower leg';
const T = 10_000; // per wait

let step = 'start';
let passed = 0;
const started = Date.now();
let base = ''; // http://127.0.0.1:PORT of icd-serve, once started
let serverOrigin = '';
let server = null; // the icd-serve child process
let serverLog = '';
const stopServer = () => { if (server && server.exitCode === null && !server.killed) server.kill('SIGTERM'); };
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { stopServer(); process.exit(130); });
process.on('exit', stopServer);
const watchdog = setTimeout(() => {
  console.error(`FAIL: the test took more than 90 s (stuck in: ${step})`);
  process.exit(1);
}, 90_000);
watchdog.unref();

class Failure extends Error {}
const fail = (msg) => { throw new Failure(msg); };
const assert = (cond, msg) => { if (!cond) fail(msg); };
const eq = (got, want, what) => {
  if (JSON.stringify(got) !== JSON.stringify(want)) fail(`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
};
async function check(name, fn) {
  step = name;
  const t0 = Date.now();
  await fn();
  passed++;
  console.log(`ok ${passed} - ${name} (${Date.now() - t0} ms)`);
}

// Starts icd-serve on a free port and resolves with its base URL, read from the first
// line it prints: "icd-serve: serving DIR (...) at http://127.0.0.1:PORT/ with ...".
function startServer(corsOrigin) {
  return new Promise((resolve, reject) => {
    const args = ['--index', opts.index, '--port', '0', '--web', opts.web, '--cors-origin', corsOrigin];
    server = spawn(opts.serve, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => reject(new Failure(`icd-serve printed no address within 10 s:\n${serverLog}`)), 10_000);
    const onData = (d) => {
      serverLog += d;
      const m = serverLog.match(/ at (http:\/\/[^/\s]+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', (d) => { serverLog += d; });
    server.on('error', (e) => { clearTimeout(timer); reject(new Failure(`cannot start ${opts.serve}: ${e.message}`)); });
    server.on('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Failure(`icd-serve exited (${sig || code}) at start:\n${serverLog}`));
    });
  });
}

// Polls a function in the page until it returns a truthy value; fails with `what`.
async function until(page, what, fn, arg) {
  try {
    return await (await page.waitForFunction(fn, arg, { timeout: T, polling: 25 })).jsonValue();
  } catch (e) {
    fail(`timed out after ${T / 1000} s waiting for ${what}`);
  }
}
// Everything a check needs to know about one widget, read through its shadow root.
function state(page, sel = 'icd-code-search') {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const r = el.shadowRoot;
    const inp = r.querySelector('[role=combobox]');
    const shown = (e) => !!e && e.getClientRects().length > 0;
    const text = (e) => (shown(e) ? e.textContent.replace(/\s+/g, ' ').trim() : '');
    const det = r.querySelector('[part=detail]');
    return {
      expanded: inp.getAttribute('aria-expanded'),
      active: inp.getAttribute('aria-activedescendant'),
      controls: inp.getAttribute('aria-controls'),
      label: inp.getAttribute('aria-label'),
      listboxId: (r.querySelector('[role=listbox]') || {}).id,
      listShown: shown(r.querySelector('[role=listbox]')),
      options: [...r.querySelectorAll('[role=option]')].map((o) => ({
        id: o.id, code: o.dataset.code, selected: o.getAttribute('aria-selected'),
        badge: (o.querySelector('.badge') || {}).textContent, marks: o.querySelectorAll('mark').length,
      })),
      live: r.querySelector('[role=status][aria-live=polite]').textContent,
      info: text(r.querySelector('[part=info]')),
      message: text(r.querySelector('[part=message]')),
      inputValue: inp.value,
      focused: document.activeElement === el && r.activeElement === inp,
      value: el.value,
      detailShown: shown(det),
      detailCode: shown(det) ? (det.querySelector('.dh .code') || {}).textContent : null,
      detailTitle: shown(det) ? (det.querySelector('h2') || {}).textContent : null,
      detailText: text(det),
    };
  }, sel);
}

async function officialCode(code) {
  const res = await fetch(`${base}/v1/codes/${code}`);
  assert(res.ok, `GET /v1/codes/${code} answered HTTP ${res.status}`);
  return res.json();
}

// The second origin: a plain host page that embeds the widget from icd-serve with one
// script tag. The page is made on each request: icd-serve's address is known only later.
function startHostPage() {
  const html = () => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>Clinic intranet: claim form</title></head>
<body style="margin:0;padding:12px;font:15px/1.4 sans-serif;background:#fff;color:#222">
<h1 style="font-size:18px;margin:0 0 8px">Claim form (another site)</h1>
<label for="a" style="display:block;margin-bottom:4px">Diagnosis (billable codes only)</label>
<icd-code-search id="a" api="${base}" billable-only limit="5" label="Diagnosis code" placeholder="Find a billable code"
  style="--icd-accent:#6b2bb0"></icd-code-search>
<p>Picked: <output id="picked">none</output></p>
<p>Second box, no api attribute:</p>
<icd-code-search id="b"></icd-code-search>
<script src="${base}/widget/icd-search-widget.js"></script>
<script>
  window.icdPicked = [];
  document.addEventListener('icd-code-selected', (e) => {
    icdPicked.push(e.detail);
    document.getElementById('picked').textContent = e.detail.code + ' ' + e.detail.title;
  });
</script>
</body></html>`;
  const host = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html());
  });
  return new Promise((resolve, reject) => {
    host.once('error', reject);
    host.listen(0, '127.0.0.1', () => resolve(host));
  });
}

function watch(page, allowed) {
  const log = { errors: [], foreign: [] };
  page.on('pageerror', (e) => log.errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(`console error: ${m.text()}`); });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && !allowed.includes(u.origin)) log.foreign.push(r.url());
  });
  return log;
}

let context, host, profile;
try {
  step = 'start the host page and icd-serve';
  host = await startHostPage();
  const hostUrl = `http://127.0.0.1:${host.address().port}/`;
  const hostOrigin = new URL(hostUrl).origin;
  base = await startServer(hostOrigin);
  serverOrigin = new URL(base).origin;
  assert(hostOrigin !== serverOrigin, 'the host page has the same origin as the server');
  console.log(`# icd-serve at ${base} (--cors-origin ${hostOrigin}); host page at ${hostUrl}`);

  step = `launch ${browserPath}`;
  assert(fs.existsSync(browserPath), `${browserPath} not found (apt-get install chromium, or run scripts/setup)`);
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'icd-widget-chromium-')); // a fresh user-data-dir
  context = await chromium.launchPersistentContext(profile, {
    executablePath: browserPath, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1000, height: 900 },
  });
  const page = context.pages()[0] || await context.newPage();
  const log = watch(page, [serverOrigin]);
  // Records how each fetch of the page ends, to see stale searches aborted.
  await page.addInitScript(() => {
    window.__fetches = [];
    const fetch0 = window.fetch;
    window.fetch = function (url, ...rest) {
      const rec = { q: new URL(url, location.href).searchParams.get('q'), outcome: 'pending' };
      window.__fetches.push(rec);
      return fetch0.call(this, url, ...rest).then((r) => { rec.outcome = 'ok'; return r; },
        (e) => { rec.outcome = e.name; throw e; });
    };
  });
  const input = page.locator('#search [role=combobox]');

  // ---------------------------------------------------------------- demo page, same origin
  await check('demo page loads the widget from one script tag', async () => {
    const res = await page.goto(base + '/');
    assert(res && res.ok(), `GET / answered HTTP ${res && res.status()}`);
    await until(page, '<icd-code-search> to be defined', () => !!customElements.get('icd-code-search'));
    eq(await page.evaluate(() => document.querySelectorAll('script[src]').length), 1, 'script tags on the demo page');
    const s = await state(page);
    eq(s.expanded, 'false', 'aria-expanded before typing');
    eq(s.controls, s.listboxId, 'aria-controls names the listbox');
    assert(s.label, 'the combobox has no accessible name');
    eq(await page.evaluate(() => Array.isArray(window.icdPicked) && window.icdPicked.length), 0, 'window.icdPicked at start');
  });

  await check('typing a lay query lists M62.561 first; the slow stale search is aborted', async () => {
    // The answer to the early prefix "muscle" is held back until the full query has been
    // answered; the widget must abort it (and would have to ignore it if it came).
    let release, releaseStale;
    const held = new Promise((r) => { release = r; });
    const staleDone = new Promise((r) => { releaseStale = r; });
    await page.route((u) => u.pathname === '/v1/search' && u.searchParams.get('q') === 'muscle', async (route) => {
      await held;
      await route.continue().catch(() => {}); // already aborted by the widget: fine
      releaseStale();
    });
    await input.click();
    const earlyReq = page.waitForRequest((r) => new URL(r.url()).searchParams.get('q') === 'muscle', { timeout: T });
    await page.keyboard.type('muscle', { delay: 20 });
    await earlyReq; // the debounce fired on the prefix
    await page.keyboard.type(LAY_QUERY.slice('muscle'.length), { delay: 20 });
    await until(page, 'M62.561 in the list', () => !!document.querySelector('#search').shadowRoot
      .querySelector('[role=option][data-code="M62.561"]'));
    release();
    await staleDone;
    await page.unroute('**/*');
    // Let any late answer be processed before looking again.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
    const early = await page.evaluate(() => window.__fetches.filter((f) => f.q === 'muscle').map((f) => f.outcome));
    // One fetch, or two if a slow machine paused 150 ms after "muscle " (trimmed to "muscle").
    assert(early.length >= 1 && early.every((o) => o === 'AbortError'),
      `outcome of the fetches for the stale prefix "muscle": ${JSON.stringify(early)} (expected AbortError)`);
    const s = await state(page);
    eq(s.inputValue, LAY_QUERY, 'input value');
    eq(s.options[0] && s.options[0].code, 'M62.561', 'first option after the stale answer');
    eq(s.expanded, 'true', 'aria-expanded with results');
    assert(s.listShown, 'the listbox is not visible');
    assert(s.info.includes('Also searched'), `no expansions line in the popup: "${s.info}"`);
  });

  await check('options show code, billable badge, header badge and highlighted text', async () => {
    const s = await state(page);
    const o = s.options.find((x) => x.code === 'M62.561');
    eq(o.badge, 'billable', 'badge of M62.561');
    assert(o.marks > 0, 'M62.561 has no <mark> highlight');
    const header = s.options.find((x) => x.code === 'M62.56');
    assert(header, `M62.56 not in the list: ${s.options.map((x) => x.code)}`);
    eq(header.badge, 'header – pick a code below', 'badge of the header M62.56');
    assert(s.options.every((x) => x.selected === 'false'), 'an option is selected before any key press');
    const live = await until(page, 'the live region to announce the results', () =>
      document.querySelector('#search').shadowRoot.querySelector('[role=status]').textContent);
    assert(/\d+ codes? found/.test(live), `live region says "${live}"`);
  });

  await check('ArrowDown/ArrowUp/Home/End move aria-activedescendant and aria-selected', async () => {
    const n = (await state(page)).options.length;
    assert(n >= 3, `only ${n} options`);
    const expectActive = async (i, key) => {
      const s = await state(page);
      eq(s.active, s.options[i].id, `aria-activedescendant after ${key}`);
      eq(s.options.filter((o) => o.selected === 'true').map((o) => o.id), [s.options[i].id], `aria-selected after ${key}`);
    };
    await page.keyboard.press('ArrowDown'); await expectActive(0, 'ArrowDown');
    await page.keyboard.press('ArrowDown'); await expectActive(1, 'ArrowDown x2');
    await page.keyboard.press('End'); await expectActive(n - 1, 'End');
    await page.keyboard.press('Home'); await expectActive(0, 'Home');
    await page.keyboard.press('ArrowUp'); await expectActive(n - 1, 'ArrowUp from the first (wraps)');
    await page.keyboard.press('ArrowDown'); await expectActive(0, 'ArrowDown from the last (wraps)');
  });

  await check(`screenshot of the open list saved to ${shot}`, async () => {
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    assert(fs.statSync(shot).size > 10_000, 'screenshot is suspiciously small');
  });

  await check('Enter picks M62.561: exactly one icd-code-selected event, billable', async () => {
    const s0 = await state(page);
    eq(s0.options[0].code, 'M62.561', 'active option before Enter');
    await page.keyboard.press('Enter');
    await until(page, 'an icd-code-selected event', () => window.icdPicked.length > 0);
    const official = await officialCode('M62.561');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 50))); // a duplicate event would show by now
    eq(await page.evaluate(() => window.icdPicked), [{ code: 'M62.561', title: official.title, billable: true }],
      'window.icdPicked');
    const s = await state(page);
    eq(s.value, 'M62.561', 'element.value');
    eq(s.expanded, 'false', 'aria-expanded after picking');
    eq(s.active, null, 'aria-activedescendant after picking');
    assert(s.focused, 'focus left the input after picking');
    const logText = await page.locator('#log').textContent();
    assert(logText.includes('M62.561'), 'the demo log does not show the picked code');
  });

  await check('detail panel: official title, parent, Excludes1 notes, article', async () => {
    const official = await officialCode('M62.561');
    await until(page, 'the detail panel title', () => {
      const d = document.querySelector('#search').shadowRoot.querySelector('[part=detail]');
      return d && d.querySelector('h2');
    });
    const s = await state(page);
    eq(s.detailCode, 'M62.561', 'detail code');
    eq(s.detailTitle, official.title, 'detail title');
    assert(s.detailText.includes('M62.56') && s.detailText.includes(official.parent.title), 'parent not shown');
    const ex1 = await page.evaluate(() => {
      const g = document.querySelector('#search').shadowRoot.querySelector('[part=detail] [data-kind=excludes1]');
      return g && { heading: g.querySelector('h3').textContent, items: [...g.querySelectorAll('li')].map((l) => l.textContent) };
    });
    assert(ex1, 'no Excludes1 group in the detail panel');
    eq(ex1.heading, 'Excludes1', 'Excludes1 heading');
    const want = official.notes.filter((n) => n.kind === 'excludes1').map((n) => n.text);
    assert(want.length > 0, 'the server gives no Excludes1 note for M62.561 (test data changed?)');
    eq(ex1.items.length, want.length, 'number of Excludes1 notes shown');
    assert(ex1.items[0].startsWith(want[0]), `first Excludes1 note: "${ex1.items[0]}" does not start with "${want[0]}"`);
    assert(/from M62/.test(ex1.items[0]), `first Excludes1 note does not say where it is from: "${ex1.items[0]}"`);
    assert(s.detailText.includes(official.article.description.slice(0, 40)), 'article description not shown');
  });

  await check(`screenshot of the detail panel saved to ${shotDetail}`, async () => {
    await page.screenshot({ path: shotDetail, fullPage: true });
    assert(fs.statSync(shotDetail).size > 10_000, 'screenshot is suspiciously small');
  });

  await check('ArrowDown reopens the list, Escape closes it and keeps the text', async () => {
    await page.keyboard.press('ArrowDown');
    let s = await state(page);
    eq(s.expanded, 'true', 'aria-expanded after ArrowDown');
    assert(s.listShown, 'list not shown after ArrowDown');
    eq(s.active, s.options[0].id, 'aria-activedescendant after reopening');
    await page.keyboard.press('Escape');
    s = await state(page);
    eq(s.expanded, 'false', 'aria-expanded after Escape');
    assert(!s.listShown, 'list still visible after Escape');
    eq(s.active, null, 'aria-activedescendant after Escape');
    eq(s.inputValue, LAY_QUERY, 'input text after Escape');
    assert(s.focused, 'focus left the input after Escape');
  });

  await check('no page errors, console errors or requests to other origins so far', async () => {
    eq(log.errors, [], 'errors');
    eq(log.foreign, [], 'requests to other origins');
  });

  await check('a misspelt query ("dystnia") shows "Showing results for dystonia"', async () => {
    await input.fill('');
    await page.keyboard.type('dystnia', { delay: 20 });
    const info = await until(page, 'a correction line', () => {
      const r = document.querySelector('#search').shadowRoot;
      const i = r.querySelector('[part=info]');
      return r.querySelector('[role=option]') && !i.hidden && /showing results for/i.test(i.textContent) && i.textContent;
    });
    assert(/Showing results for\s*dystonia/.test(info.replace(/\s+/g, ' ')), `correction line: "${info}"`);
    const s = await state(page);
    assert(s.options.some((o) => /^G24/.test(o.code)), `no G24 code for "dystnia": ${s.options.map((o) => o.code)}`);
    await until(page, 'the live region to mention the correction',
      () => /Showing results for dystonia/.test(document.querySelector('#search').shadowRoot.querySelector('[role=status]').textContent));
  });

  await check('mouse: click a header, navigate to a child, pick it from the panel', async () => {
    await page.locator('#search [role=option][data-code="G24"]').click();
    await until(page, 'G24 picked', () => window.icdPicked.length === 2);
    await until(page, 'G24 details with its children', () => !!document.querySelector('#search').shadowRoot
      .querySelector('[part=detail] button[data-nav="G24.9"]'));
    eq((await page.evaluate(() => window.icdPicked))[1], { code: 'G24', title: 'Dystonia', billable: false }, 'event for G24');
    await page.locator('#search [part=detail] button[data-nav="G24.9"]').click();
    await until(page, 'G24.9 details', () => {
      const d = document.querySelector('#search').shadowRoot.querySelector('[part=detail]');
      return !d.hasAttribute('aria-busy') && d.querySelector('.dh .code').textContent === 'G24.9' && d.querySelector('h2');
    });
    eq(await page.evaluate(() => window.icdPicked.length), 2, 'events after navigating (navigation is not a pick)');
    eq((await state(page)).value, 'G24', 'element.value after navigating');
    await page.locator('#search [part=detail] button[data-pick]').click();
    await until(page, 'G24.9 picked from the panel', () => window.icdPicked.length === 3);
    const official = await officialCode('G24.9');
    eq((await page.evaluate(() => window.icdPicked))[2], { code: 'G24.9', title: official.title, billable: true }, 'event for G24.9');
    eq((await state(page)).value, 'G24.9', 'element.value after picking from the panel');
  });

  await check('JS API: clear() and search() ("calcium deposits after stroke" -> M61.2x)', async () => {
    await page.evaluate(() => document.querySelector('#search').clear());
    let s = await state(page);
    eq([s.value, s.inputValue, s.expanded, s.detailShown], ['', '', 'false', false], 'value, text, expanded, detail after clear()');
    await page.evaluate(() => document.querySelector('#search').search('calcium deposits after stroke'));
    s = await state(page);
    assert(s.options.length && /^M61\.2/.test(s.options[0].code), `first result: ${s.options.map((o) => o.code)}`);
    eq(s.inputValue, 'calcium deposits after stroke', 'input text after search()');
  });

  await check('detail panel: "Code first" notes of M89.70 come from its parent M89.7', async () => {
    const official = await officialCode('M89.70');
    const want = official.notes.filter((n) => n.kind === 'code_first');
    assert(want.length > 0, 'the server gives no Code first note for M89.70 (test data changed?)');
    await page.evaluate(() => { document.querySelector('#search').value = 'M89.70'; });
    const g = await until(page, 'the Code first group of M89.70', () => {
      const d = document.querySelector('#search').shadowRoot.querySelector('[part=detail]');
      const g = !d.hasAttribute('aria-busy') && d.querySelector('.dh .code').textContent === 'M89.70' &&
        d.querySelector('[data-kind=code_first]');
      return g && { heading: g.querySelector('h3').textContent, items: [...g.querySelectorAll('li')].map((l) => l.textContent) };
    });
    eq(g.heading, 'Code first', 'Code first heading');
    eq(g.items.length, want.length, 'number of Code first notes shown');
    assert(g.items[0].startsWith(want[0].text) && /from M89\.7$/.test(g.items[0]), `first Code first note: "${g.items[0]}"`);
  });

  const errorsBefore = log.errors.length;
  await check('error states: server error message, network failure, unknown code', async () => {
    await page.route('**/v1/search?**', (route) => route.fulfill({
      status: 503, contentType: 'application/json',
      body: JSON.stringify({ error: { status: 503, code: 'index_unavailable', message: 'the index is being replaced', hint: 'retry' } }),
    }));
    await page.evaluate(() => document.querySelector('#search').search('broken wrist'));
    let s = await state(page);
    assert(s.message.includes('the index is being replaced'), `server error not shown: "${s.message}"`);
    eq([s.expanded, s.options.length], ['true', 0], 'expanded, options with a server error');
    await page.unroute('**/v1/search?**');
    await page.route('**/v1/search?**', (route) => route.abort('internetdisconnected'));
    await page.evaluate(() => document.querySelector('#search').search('broken hip'));
    s = await state(page);
    assert(/Cannot reach/.test(s.message), `network failure not shown: "${s.message}"`);
    await page.unroute('**/v1/search?**');
    await page.evaluate(() => { document.querySelector('#search').value = 'X99.99'; });
    await until(page, 'the not-found message in the panel', () => /no code X99\.99/.test(
      document.querySelector('#search').shadowRoot.querySelector('[part=detail] [role=alert]')?.textContent || ''));
  });

  await check('the only console errors since are the failed loads those error states provoked', async () => {
    const extra = log.errors.slice(errorsBefore).filter((e) => !/^console error: Failed to load resource: (the server responded with a status of (503|404)|net::ERR_INTERNET_DISCONNECTED)/.test(e));
    eq(extra, [], 'unexpected errors');
    eq(log.foreign, [], 'requests to other origins');
  });

  // ---------------------------------------------------------------- another origin, 320 px
  const page2 = await context.newPage();
  await page2.setViewportSize({ width: 320, height: 700 });
  const log2 = watch(page2, [serverOrigin, hostOrigin]);
  const inputA = page2.locator('#a [role=combobox]');

  await check(`cross-origin: a page on ${hostOrigin} embeds the widget with one script tag and searches ${serverOrigin}`, async () => {
    const res = await page2.goto(hostUrl);
    assert(res && res.ok(), `GET ${hostUrl} answered HTTP ${res && res.status()}`);
    await until(page2, '<icd-code-search> to be defined on the host page', () => !!customElements.get('icd-code-search'));
    eq(await page2.evaluate(() => [...document.querySelectorAll('script[src]')].map((x) => x.src)),
      [`${base}/widget/icd-search-widget.js`], 'script tags on the host page');
    eq((await state(page2, '#a')).label, 'Diagnosis code', 'accessible name from label=');
    await inputA.click();
    const resp = page2.waitForResponse((r) => r.url().startsWith(serverOrigin + '/v1/search?') &&
      new URL(r.url()).searchParams.get('q') === LAY_QUERY, { timeout: T });
    await page2.keyboard.type(LAY_QUERY, { delay: 15 });
    const r = await resp;
    eq((await r.request().allHeaders()).origin, hostOrigin, 'Origin header of the search request');
    eq(r.headers()['access-control-allow-origin'], hostOrigin, 'Access-Control-Allow-Origin');
    assert(/\borigin\b/i.test(r.headers().vary || ''), `no "Vary: Origin": ${JSON.stringify(r.headers().vary)}`);
    await until(page2, 'M62.561 in the cross-origin list', () => !!document.querySelector('#a').shadowRoot
      .querySelector('[role=option][data-code="M62.561"]'));
    const s = await state(page2, '#a');
    eq(s.options[0].code, 'M62.561', 'first option on the host page');
    assert(s.options.length <= 5, `limit=5 ignored: ${s.options.length} options`);
    assert(s.options.every((o) => o.badge === 'billable'), `billable-only ignored: ${s.options.map((o) => o.code + ' ' + o.badge)}`);
  });

  await check('cross-origin: arrow keys and Enter pick M62.561; the host page gets the event; notes load', async () => {
    const n = (await state(page2, '#a')).options.length;
    await page2.keyboard.press('ArrowDown');
    await page2.keyboard.press('ArrowDown');
    let s = await state(page2, '#a');
    eq(s.active, s.options[Math.min(1, n - 1)].id, 'aria-activedescendant after ArrowDown x2');
    await page2.keyboard.press('ArrowUp');
    s = await state(page2, '#a');
    eq(s.active, s.options[0].id, 'aria-activedescendant after ArrowUp');
    await page2.keyboard.press('Enter');
    await until(page2, 'the pick on the host page', () => window.icdPicked.length === 1);
    const official = await officialCode('M62.561');
    eq(await page2.evaluate(() => window.icdPicked), [{ code: 'M62.561', title: official.title, billable: true }], 'host page events');
    eq(await page2.locator('#picked').textContent(), `M62.561 ${official.title}`, 'what the host page shows');
    await until(page2, 'the cross-origin detail panel with its notes', () => {
      const d = document.querySelector('#a').shadowRoot.querySelector('[part=detail]');
      return !d.hasAttribute('aria-busy') && d.querySelector('h2') && d.querySelector('[data-kind=excludes1] li');
    });
    eq((await state(page2, '#a')).detailTitle, official.title, 'detail title on the host page');
  });

  await check('CORS: icd-serve allows only the --cors-origin origin', async () => {
    const other = await fetch(`${base}/v1/search?q=dystonia`, { headers: { Origin: 'http://other.example' } });
    assert(other.ok, `search with another Origin answered HTTP ${other.status}`);
    eq(other.headers.get('access-control-allow-origin'), null, 'Access-Control-Allow-Origin for another origin');
    const allowed = await fetch(`${base}/v1/codes/G24.9`, { headers: { Origin: hostOrigin } });
    eq(allowed.headers.get('access-control-allow-origin'), hostOrigin, 'Access-Control-Allow-Origin on /v1/codes');
  });

  await check('320 px wide: no horizontal overflow', async () => {
    const m = await page2.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      widget: Math.ceil(document.querySelector('#a').getBoundingClientRect().right),
      detail: Math.ceil(document.querySelector('#a').shadowRoot.querySelector('[part=detail]').scrollWidth),
      detailBox: Math.ceil(document.querySelector('#a').shadowRoot.querySelector('[part=detail]').clientWidth),
    }));
    assert(m.page <= 320 && m.widget <= 320, `wider than 320 px: ${JSON.stringify(m)}`);
    assert(m.detail <= m.detailBox, `detail panel content overflows: ${JSON.stringify(m)}`);
  });

  await check(`screenshot of the host page at 320 px saved to ${shotNarrow}`, async () => {
    await page2.screenshot({ path: shotNarrow, fullPage: true });
  });

  await check('without api=, the widget uses the origin of its script', async () => {
    await page2.evaluate(() => document.querySelector('#b').search('muscle wasting right lower leg'));
    const s = await state(page2, '#b');
    eq(s.options[0] && s.options[0].code, 'M62.561', 'first result of the second box');
  });

  await check('host page: no errors and no requests beyond the two origins', async () => {
    eq(log2.errors, [], 'errors');
    eq(log2.foreign, [], 'requests to other origins');
  });

  console.log(`all ${passed} checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (e) {
  console.error(`FAIL: ${step}: ${e instanceof Failure ? e.message : e && e.stack || e}`);
  process.exitCode = 1;
} finally {
  if (context) await context.close().catch(() => {});
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
  if (host) { host.closeAllConnections(); host.close(); }
  stopServer();
  clearTimeout(watchdog);
}
if (process.exitCode) {
  console.error('icd-serve output:\n' + serverLog.replace(/^/gm, '  '));
} else {
  console.log(`screenshots: ${shot} ${shotDetail} ${shotNarrow}`);
}
