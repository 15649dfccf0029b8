// The analyst's path through `dossier serve` in real headless Chromium,
// over a knowledge base built from examples/corpus: search an ambiguous
// name, tell the three men apart, open Abu Yusuf al-Tunisi's dossier
// (names with sources, why one person, the disputed killing with both
// sides as the build grouped them), page through long lists, open his
// timeline, graph and killing, follow a piece of evidence into its
// document and check that exactly that span is highlighted.
//
// Environment (scripts/browser-test.sh sets it):
//   DOSSIER_BIN     the dossier binary
//   DOSSIER_DB      the knowledge base built from examples/corpus
//   SCREENSHOT_DIR  where to save one screenshot per page
//   CHROMIUM        browser executable (default /usr/bin/chromium)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BIN = process.env.DOSSIER_BIN;
const DB = process.env.DOSSIER_DB;
const SHOTS = process.env.SCREENSHOT_DIR || mkdtempSync(path.join(tmpdir(), 'dossier-shots-'));
const NAME = 'al-Tunisi';
const MEN = ['Abu Yusuf al-Tunisi', 'Abu Hamza al-Tunisi', 'Abu Bakr al-Tunisi'];

let server;
let base;
let context;
let page;
let profile;
const pageErrors = [];

function startServer() {
  return new Promise((resolve, reject) => {
    if (!BIN || !DB) { reject(new Error('DOSSIER_BIN and DOSSIER_DB must be set')); return; }
    server = spawn(BIN, ['serve', '--db', DB, '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 60000);
    server.stderr.on('data', chunk => {
      log += chunk;
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', code => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${log}`)); });
  });
}

async function shot(name) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: name !== '05-graph' });
  return file;
}

// Wait until the router has rendered a view after the last navigation.
async function settled(view) {
  await page.waitForFunction(v => document.body.dataset.view === v && !document.querySelector('main > p.muted:only-child'), view);
}

// Navigate and wait for the new rendering (the view may be the same kind
// as the one before, so wait for a fresh render stamp).
async function go(hash, view) {
  const before = await page.evaluate(() => document.body.dataset.ready || '');
  await page.goto(`${base}/${hash}`);
  await page.waitForFunction(([v, b]) => document.body.dataset.view === v && (document.body.dataset.ready || '') !== b, [view, before]);
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  base = await startServer();
  profile = mkdtempSync(path.join(tmpdir(), 'dossier-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1366, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] || await context.newPage();
  page.on('pageerror', e => pageErrors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') pageErrors.push(m.text()); });
  // The UI must not reach for anything but its own server.
  await page.route('**/*', r => (r.request().url().startsWith(base) ? r.continue() : r.abort()));
  console.log(`server ${base}; screenshots in ${SHOTS}`);
});

after(async () => {
  if (context) await context.close();
  if (server) server.kill('SIGTERM');
  if (profile) {
    try { rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }); } catch (_) { /* left in tmp */ }
  }
  console.log(`screenshots: ${SHOTS}`);
});

let yusuf; // { line, url, id }

test('searching al-Tunisi shows three men told apart by their one-liners', async () => {
  await go('', 'home');
  await page.locator('#q').pressSequentially(NAME, { delay: 30 });
  const options = page.locator('#suggestions [role=option][data-id]');
  await options.first().waitFor();
  assert.ok(await options.count() >= 3, 'suggestions for every man');
  assert.equal(await page.locator('#q').getAttribute('aria-expanded'), 'true');
  await shot('01-suggestions');

  await page.keyboard.press('Enter');
  await settled('search');
  const cards = page.locator('li.candidate');
  const names = (await cards.locator('h2 a').allTextContents()).map(s => s.trim());
  for (const man of MEN) assert.ok(names.includes(man), `${man} among ${names.join(', ')}`);
  const lines = await cards.locator('.line').allTextContents();
  assert.equal(new Set(lines).size, lines.length, `one-liners must tell candidates apart: ${lines.join(' | ')}`);
  for (const l of lines) assert.match(l, /\d+ documents?$/);
  await shot('02-candidates');

  const card = cards.filter({ has: page.getByRole('link', { name: MEN[0], exact: true }) });
  yusuf = { line: (await card.locator('.line').textContent()).trim(), id: await card.getAttribute('data-id') };
  assert.match(yusuf.line, /killed/);
  await card.locator('h2 a').click();
  await settled('entity');
  yusuf.url = page.url();
});

test('his dossier: names with sources, why one person, the disputed killing with both sides', async () => {
  assert.equal((await page.locator('h1').textContent()).trim().startsWith(MEN[0]), true);
  assert.equal((await page.locator('#one-liner').textContent()).trim(), yusuf.line, 'same one-liner as in search');
  // Names and aliases, each with where it is written so.
  const names = await page.locator('#names ~ table tbody th').allTextContents();
  for (const alias of ['Abu Youssef al-Tounsi', 'Khalid Hassan Mahmoud']) {
    assert.ok(names.some(n => n.startsWith(alias)), `${alias} among ${names.join(', ')}`);
  }
  assert.ok(await page.locator('#names ~ table a.ev').count() >= 3, 'names link to their sources');
  // Why one person: the explanation and the judgements with evidence.
  assert.match(await page.locator('#why').textContent(), /Why is this one person/);
  assert.match(await page.locator('.why').textContent(), /documents were judged to be the same person/);
  assert.ok(await page.locator('.why .merge').count() >= 1);
  // Claims in the groups the API gives: a dispute with both sides, one of
  // them about his death.
  const disputes = page.locator('#claims-disputed-list > li.dispute.disputed');
  assert.ok(await disputes.count() >= 1, 'a dispute');
  const killing = disputes.filter({ hasText: /strike|killed|death|died/i }).first();
  assert.ok(await killing.locator('.sides .for li').count() >= 1, 'a side that says so');
  assert.ok(await killing.locator('.sides .against li').count() >= 1, 'a side that disagrees');
  // The page shows exactly the groups /disputes gives, in its order.
  const api = await page.evaluate(async id => (await fetch(`/api/v1/disputes?entity=${id}`)).json(), yusuf.id);
  const shown = await page.locator('li.dispute').evaluateAll(xs => xs.map(x => x.dataset.id));
  const want = [...api.groups.filter(g => g.disputed), ...api.groups.filter(g => !g.disputed)].map(g => g.id);
  assert.deepEqual(shown, want, 'UI groups = API groups');
  assert.equal(await page.locator('#claims-single-list > li').count(), api.single_source.length);
  // The sanctions list entry the knowledge-base screening found, with why.
  const sanction = page.locator('#sanctions-list > li.sanction').first();
  assert.match(await sanction.textContent(), /FTM bt-person-1/);
  assert.ok(await sanction.locator('.reasons li').count() >= 1, 'the match explains itself');
  // His timeline, with the killing on its day.
  const events = await page.locator('#events-list > li').allTextContents();
  assert.ok(events.some(e => /^2021-03-09\s+killing/.test(e)), events.join(' | '));
  await shot('03-dossier');
});

test('long lists page in with "show more" and add up to their totals', async () => {
  await go(`#/entity/${encodeURIComponent(yusuf.id)}?page=2`, 'entity');
  const heading = await page.locator('#names').textContent();
  const total = Number(/\((\d+)\)/.exec(heading)[1]);
  assert.ok(total > 2, `several names (${heading})`);
  assert.equal(await page.locator('#names ~ table tbody tr').count(), 2);
  const more = page.locator('.pager[data-list=names] button.more');
  assert.match(await more.textContent(), new RegExp(`\\(${total - 2} more\\)`));
  while (await more.isVisible()) {
    const before = await page.locator('#names ~ table tbody tr').count();
    await more.click();
    await page.waitForFunction(n => document.querySelectorAll('#names ~ table tbody tr').length > n, before);
  }
  const rows = await page.locator('#names ~ table tbody th').allTextContents();
  assert.equal(rows.length, total);
  assert.equal(new Set(rows).size, total, 'no name twice');
  // Claims page in by claims; a group already shown is not repeated.
  const claims = page.locator('.pager[data-list=claims] button.more');
  let clicks = 0;
  while (await claims.isVisible()) {
    await claims.click();
    await page.waitForFunction(() => !document.querySelector('.pager[data-list=claims] button.more').disabled);
    clicks += 1;
    assert.ok(clicks < 50, 'claims never end');
  }
  assert.ok(clicks >= 1, 'claims came in pages');
  const ids = await page.locator('li.dispute').evaluateAll(xs => xs.map(x => x.dataset.id));
  assert.equal(new Set(ids).size, ids.length, 'no group twice');
  const all = await page.evaluate(async id => (await fetch(`/api/v1/disputes?entity=${id}&limit=100`)).json(), yusuf.id);
  assert.deepEqual(new Set(ids), new Set(all.groups.map(g => g.id)), 'paged groups = all groups');
  assert.equal(await page.locator('#claims-single-list > li').count(), all.single_source.length);
  await shot('04-paged');
});

test('the graph of his neighbourhood draws, labels and expands', async () => {
  await page.goto(yusuf.url);
  await settled('entity');
  await page.locator('.actions').getByRole('link', { name: 'Graph' }).click();
  await settled('entity');
  await page.locator('#graph canvas').first().waitFor();
  const items = page.locator('#node-list li');
  await items.first().waitFor();
  const before = await page.evaluate(() => window.dossierGraph.nodes().length);
  assert.equal(before, await items.count());
  assert.ok(before >= 3, `a neighbourhood (${before} nodes)`);
  const labels = await page.evaluate(() => window.dossierGraph.nodes().map(n => n.data('name')));
  assert.ok(labels.every(l => l && l.length > 0), 'every node has a readable label');
  assert.ok(labels.includes('Youssef Haddad'), labels.join(', '));
  const expand = page.locator('#node-list button', { hasText: 'Expand' });
  if (await expand.count() > 0) {
    const target = expand.first();
    const nodeId = await target.evaluate(b => b.closest('li').dataset.id);
    await target.click();
    await page.locator(`#node-list li[data-id="${nodeId}"]`, { hasText: 'expanded' }).waitFor();
  }
  // Clicking a node on the canvas shows it and offers its dossier.
  const pos = await page.evaluate(() => {
    const n = window.dossierGraph.nodes()[0];
    const p = n.renderedPosition();
    const box = window.dossierGraph.container().getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  });
  await page.mouse.click(pos.x, pos.y);
  await page.locator('#node-details h3').waitFor();
  assert.match(await page.locator('#node-details').textContent(), /Open dossier/);
  await shot('05-graph');
});

test('the timeline lists his events and filters by date', async () => {
  await page.goto(yusuf.url);
  await settled('entity');
  await page.locator('.actions').getByRole('link', { name: 'Timeline' }).click();
  await settled('timeline');
  await page.locator('#timeline-status').filter({ hasText: /event/ }).waitFor();
  const when = await page.locator('#timeline-list .when').allTextContents();
  assert.ok(when.includes('2021-03-09'), when.join(', '));
  await page.fill('#f-from', '2021-03');
  await page.fill('#f-to', '2021-03');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator('#timeline-status', { hasText: /^1 event\./ }).waitFor();
  assert.match(await page.locator('#timeline-list .what').textContent(), /killing/);
  await shot('06-timeline');
});

test('his killing has its own page: who, where, reported by, claims', async () => {
  await page.goto(yusuf.url);
  await settled('entity');
  await page.locator('#events-list > li', { hasText: '2021-03-09' }).locator('a.what').click();
  await settled('event');
  assert.match(await page.locator('h1').textContent(), /killing/);
  assert.match(await page.locator('.facts').textContent(), /victim: Abu Yusuf al-Tunisi/);
  assert.match(await page.locator('.facts').textContent(), /Sarmada/);
  assert.ok(await page.locator('main h2', { hasText: 'Reported by' }).count() === 1);
  assert.ok(await page.locator('main ul a[href^="#/doc/"]').count() >= 2, 'reports link to documents');
  await shot('07-event');
});

async function openEvidence(link) {
  const expected = await link.getAttribute('data-text');
  // Open it from the keyboard, as a screen-reader user would.
  await link.focus();
  await page.keyboard.press('Enter');
  await settled('doc');
  await page.locator('#doctext .target').first().waitFor();
  const got = (await page.locator('#doctext .target').allTextContents()).join('');
  assert.equal(got, expected, 'exactly the evidence span is highlighted');
  const inView = await page.evaluate(() => {
    const r = document.querySelector('#doctext .target').getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });
  assert.ok(inView, 'the evidence is scrolled into view');
  return expected;
}

test('evidence opens the document with the exact span highlighted', async () => {
  await page.goto(yusuf.url);
  await settled('entity');
  // A claim on the disagreeing side of the dispute about his death.
  const against = page.locator('#claims-disputed-list .sides .against a.ev').first();
  await openEvidence(against);
  const mentions = page.locator('#doctext a.m');
  assert.ok(await mentions.count() >= 1, 'mentions are highlighted');
  // The article is text: no element inside it but the highlights.
  const tags = await page.evaluate(() => [...new Set([...document.querySelectorAll('#doctext *')].map(e => e.tagName))]);
  assert.deepEqual(tags.filter(t => t !== 'A' && t !== 'SPAN'), []);
  await shot('08-document');
  // Clicking a mention opens that entity.
  const first = mentions.first();
  const id = await first.getAttribute('data-entity');
  await first.click();
  await settled('entity');
  assert.ok(page.url().includes(encodeURIComponent(id)));
});

test('the search box works from the keyboard alone', async () => {
  await go('', 'home');
  await page.focus('#q');
  await page.keyboard.type(NAME, { delay: 20 });
  await page.locator('#suggestions [role=option][data-id]').first().waitFor();
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('#q').getAttribute('aria-activedescendant'), 'sugg-0');
  await page.keyboard.press('Enter');
  await settled('entity');
  assert.ok((await page.locator('h1').textContent()).length > 0);
  assert.deepEqual(pageErrors, [], 'no script errors');
});
