// Browser tests in headless Chromium (Debian's, driven by playwright-core) against a running
// `truce demo`: TRUCE_URL is its address. Fails on any console error, on any request to
// another host, and on serious or critical accessibility violations (axe-core). Saves a
// screenshot of each page in English and Arabic under SCREENSHOTS (default
// ../target/ui-screenshots).
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const base = process.env.TRUCE_URL;
if (!base) throw new Error('TRUCE_URL must name the running server, e.g. http://127.0.0.1:8080');
const here = dirname(new URL(import.meta.url).pathname);
const shots = process.env.SCREENSHOTS ?? join(here, '../../target/ui-screenshots');
mkdirSync(shots, { recursive: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const strings = Object.fromEntries(['en', 'ar'].map((l) => [l, JSON.parse(readFileSync(join(here, `../src/locales/${l}.json`), 'utf8'))]));
const origin = new URL(base).origin;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const failures = [];
const fail = (m) => {
  failures.push(m);
  console.error(`FAIL ${m}`);
};

async function page() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const p = await context.newPage();
  p.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium logs every refused request; those the test provokes (a claim with a bad
    // field, a merge or a split without a reason, answered 422) are expected, nothing else is.
    const provoked =
      /status of 422/.test(m.text()) && /\/api\/v1\/(claims|incidents\/[0-9A-Z]+\/(merge|split)|drafts\/[0-9A-Z]+\/\d+\/reject)$/.test(m.location().url);
    if (!provoked) fail(`console error on ${p.url()}: ${m.text()}`);
  });
  p.on('pageerror', (e) => fail(`page error on ${p.url()}: ${e.message}`));
  p.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && new URL(u).origin !== origin) fail(`request to another host: ${u}`);
  });
  return p;
}

async function accessible(p, name) {
  await p.addScriptTag({ content: axeSource });
  const result = await p.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  for (const v of result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
    fail(`${name}: accessibility (${v.impact}) ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  }
}

async function shot(p, name) {
  await p.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
}

async function step(name, f) {
  try {
    await f();
    console.log(`ok   ${name}`);
  } catch (e) {
    fail(`${name}: ${e.message}`);
  }
}

const p = await page();
for (const lang of ['en', 'ar']) {
  await step(`overview (${lang})`, async () => {
    await p.goto(`${base}/#/`);
    if (lang === 'ar') {
      await p.selectOption('#lang', 'ar');
      await p.waitForFunction(() => document.documentElement.dir === 'rtl');
      const nav = await p.textContent('nav a[href="#/"]');
      if (nav !== 'نظرة عامة') throw new Error(`the navigation is not in Arabic: ${nav}`);
    }
    await p.waitForSelector('.incidents li a');
    await p.waitForSelector('.leaflet-overlay-pane canvas');
    const items = await p.locator('.incidents li a').count();
    if (items < 3) throw new Error(`${items} incidents listed`);
    await shot(p, `overview-${lang}`);
    await accessible(p, `overview (${lang})`);
  });
  await step(`incident (${lang})`, async () => {
    // An incident with both parties' accounts.
    const both = await p.evaluate(async () => {
      const list = await (await fetch('/api/v1/incidents?limit=500')).json();
      return list.items.find((i) => new Set(i.claimants).size >= 2)?.id;
    });
    if (!both) throw new Error('no published incident with two parties\' accounts');
    await p.click(`.incidents li a[href="#/incident/${both}"]`);
    await p.waitForSelector('.account');
    const accounts = await p.locator('.account').count();
    if (accounts < 2) throw new Error(`${accounts} accounts side by side`);
    const text = await p.textContent('main');
    if (/Vardan|Fictitious|Personmarker/.test(text ?? '')) throw new Error('personal data shown to the public');
    await shot(p, `incident-${lang}`);
    await accessible(p, `incident (${lang})`);
  });
  await step(`provisions (${lang})`, async () => {
    await p.goto(`${base}/#/provisions`);
    await p.waitForSelector('.provision');
    const n = await p.locator('.provision').count();
    if (n !== 9) throw new Error(`${n} provisions shown`);
    if ((await p.locator('.provision canvas').count()) < 3) throw new Error('the dashboard draws no charts');
    // Violations per week stacked by sector, and persons held per party over time.
    for (const name of ['violations_verified_per_week_and_sector', 'held_per_party_over_time']) {
      const label = strings[lang].indicator[name];
      if (!(await p.locator(`.provision canvas[aria-label="${label}"]`).count())) throw new Error(`no chart "${label}"`);
    }
    // The reasons put in words here from their codes: none left in English in Arabic.
    const reasons = await p.locator('.reasons li').allTextContents();
    if (!reasons.length) throw new Error('no reasons shown');
    if (lang === 'ar' && reasons.some((r) => /[A-Za-z]/.test(r))) throw new Error(`reasons in Latin script: ${reasons.join(' | ')}`);
    await shot(p, `provisions-${lang}`);
    await accessible(p, `provisions (${lang})`);
  });
  await step(`ledger (${lang})`, async () => {
    await p.goto(`${base}/#/ledger`);
    await p.waitForSelector('pre.command');
    const cmd = await p.textContent('pre.command');
    if (!cmd?.startsWith('truce verify --server ')) throw new Error(`no verify command: ${cmd}`);
    await shot(p, `ledger-${lang}`);
    await accessible(p, `ledger (${lang})`);
  });
}
/// Does `act`, then waits until the page it leads to has been rendered in place of the one
/// shown before (the router marks the main part busy while it renders).
async function rerendered(p, act) {
  await p.evaluate(() => document.querySelector('main > *')?.setAttribute('data-stale', ''));
  await act();
  await p.waitForFunction(() => document.querySelector('main > *') && !document.querySelector('main > [data-stale], main[aria-busy]'));
}
const query = (p) => p.evaluate(() => Object.fromEntries(new URLSearchParams(location.hash.split('?')[1] ?? '')));

// The overview's filters beyond the map: a provision breached, and dates dragged across the
// timeline of incidents per week (time running right to left in Arabic).
await step('overview: a provision in the URL narrows the list', async () => {
  const v = await page();
  await v.goto(`${base}/#/`);
  await v.waitForFunction(() => !document.querySelector('main[aria-busy]') && document.querySelectorAll('.incidents li a').length > 0);
  const everything = await v.locator('.incidents li a').count();
  await rerendered(v, () => v.goto(`${base}/#/?provision=P1`));
  if ((await v.inputValue('#provision-filter')) !== 'P1') throw new Error('the provision filter does not show the provision');
  const shown = await v.locator('.incidents li a').evaluateAll((as) => as.map((a) => a.getAttribute('href').split('/').pop()));
  const expected = await v.evaluate(async () => (await (await fetch('/api/v1/incidents?provision=P1&limit=500')).json()).items.map((i) => i.id));
  if (!shown.length || shown.length >= everything) throw new Error(`${shown.length} of ${everything} incidents listed for P1`);
  if (shown.some((id) => !expected.includes(id))) throw new Error('an incident listed whose finding does not name P1');
  await v.context().close();
});
for (const lang of ['en', 'ar']) {
  await step(`overview: dragging across the timeline sets the dates (${lang})`, async () => {
    const v = await page();
    await v.goto(`${base}/#/`);
    if (lang === 'ar') {
      await v.selectOption('#lang', 'ar');
      await v.waitForFunction(() => document.documentElement.dir === 'rtl');
    }
    await v.waitForFunction(() => !document.querySelector('main[aria-busy]') && document.querySelector('.brush svg') && document.querySelectorAll('.incidents li a').length > 0);
    const everything = await v.locator('.incidents li a').count();
    const weeks = await v.evaluate(async () => (await fetch('/api/v1/incidents/weeks')).json());
    // From the earliest week (the start edge: left, or right in Arabic) to just past the middle.
    const box = await v.locator('.brush svg').boundingBox();
    const at = (f) => box.x + (lang === 'ar' ? 1 - f : f) * box.width;
    const y = box.y + box.height / 2;
    await rerendered(v, async () => {
      await v.mouse.move(at(0.005), y);
      await v.mouse.down();
      await v.mouse.move(at(0.55), y, { steps: 8 });
      await v.mouse.up();
    });
    const { from, to } = await query(v);
    if (from !== weeks[0].week || !(to > from)) throw new Error(`dragged from ${from} to ${to}, the first week being ${weeks[0].week}`);
    const narrowed = await v.locator('.incidents li a').count();
    if (!narrowed || narrowed >= everything) throw new Error(`${narrowed} of ${everything} incidents listed for ${from} – ${to}`);
    // The range stays highlighted and readable as words, the date inputs hold it too.
    const width = Number(await v.getAttribute('.brush-selection', 'width'));
    if (!(width > 0)) throw new Error('the chosen range is not highlighted');
    const said = strings[lang].overview.timeline_range.split('{{')[0];
    if (!(await v.textContent('.brush-range'))?.startsWith(said)) throw new Error('the chosen range is not said in words');
    if ((await v.locator('.filters input[type=date]').first().inputValue()) !== from) throw new Error('the date input does not hold the range');
    await shot(v, `overview-brush-${lang}`);
    await accessible(v, `overview with dates (${lang})`);
    // A click without a drag clears the range.
    await rerendered(v, () => v.mouse.click(at(0.8), y));
    if ('from' in (await query(v))) throw new Error('a click leaves the dates');
    if ((await v.locator('.incidents li a').count()) !== everything) throw new Error('clearing the dates does not list everything again');
    await v.context().close();
  });
}

// A party liaison signs in, submits a claim with a bad field, sees the error beside it with
// what was typed kept, corrects it, and the claim is recorded.
const log = process.env.DEMO_LOG ? readFileSync(process.env.DEMO_LOG, 'utf8') : '';
const account = log.match(/^\s+(\S+)\s+party\s+\S+\s+password (\S+)/m);
const passwords = Object.fromEntries([...log.matchAll(/^\s+(\S+)\s+\S+\s+\S+\s+password (\S+)/gm)].map((m) => [m[1], m[2]]));
const monitorName = log.match(/^\s+(\S+)\s+monitor\s/m)?.[1];
let submitted = null;

async function signIn(p, name) {
  await p.goto(`${base}/#/sign-in`);
  await p.fill('input[name=name]', name);
  await p.fill('input[name=password]', passwords[name] ?? '');
  await p.click('form button[type=submit]');
  await p.waitForFunction((n) => document.getElementById('who')?.textContent?.startsWith(n), name);
}

/// The reported incident holding `claim`, as the signed-in monitor on page `p` sees it.
async function reportedIncidentOf(p, claim) {
  return p.evaluate(async (claim) => {
    const list = await (await fetch('/api/v1/incidents?state=reported&limit=500')).json();
    for (const i of list.items) {
      const d = await (await fetch(`/api/v1/incidents/${i.id}`)).json();
      if (d.accounts.some((a) => a.claims.some((c) => c.claim.id === claim))) return i.id;
    }
    return null;
  }, claim);
}

/// A monitor team's report of small-arms fire at Sotk on the evening of 22 July 2021 (the
/// demo's published Sotk incident), submitted through the signed-in session of page `p`.
async function postSotkReport(p, source, text) {
  return p.evaluate(
    async ([source, text]) => {
      const csrf = JSON.parse(sessionStorage.getItem('truce.session') ?? '{}').csrf;
      const claim = {
        claimant: 'JMC',
        source: { kind: 'monitor_report', name: source },
        event_type: 'small_arms_fire',
        occurred: { from: '2021-07-22T21:00:00Z', precision: 'hour' },
        location: { place: 'sotk', precision: 'locality' },
        narrative: { lang: 'en', text },
      };
      const headers = { 'content-type': 'application/json', 'x-csrf-token': csrf };
      const r = await fetch('/api/v1/claims', { method: 'POST', headers, body: JSON.stringify(claim) });
      if (!r.ok) throw new Error(await r.text());
      return (await r.json()).id;
    },
    [source, text],
  );
}

async function act(p) {
  await p.click('.actions form button[type=submit]');
  await p.waitForFunction(() => !document.querySelector('.actions .error')?.textContent);
}
if (!account) fail('DEMO_LOG must be the demo\'s output, with a party account');
else {
  const q = await page();
  await step('sign in as a party liaison', async () => {
    await q.goto(`${base}/#/sign-in`);
    await q.fill('input[name=name]', account[1]);
    await q.fill('input[name=password]', account[2]);
    await shot(q, 'sign-in-en');
    await accessible(q, 'sign in');
    await q.click('form button[type=submit]');
    await q.waitForFunction(() => document.getElementById('who')?.textContent?.includes('·'));
    if (await q.isHidden('#nav-submit')) throw new Error('a liaison is not offered claim submission');
  });
  await step('submit a claim, fix a bad field, submit again', async () => {
    await q.click('#nav-submit');
    await q.waitForSelector('form .pick-map .leaflet-overlay-pane canvas');
    await q.selectOption('label[data-field=event_type] select', { index: 1 });
    await q.fill('label[data-field="source.name"] input', 'Liaison officer, browser test');
    await q.fill('label[data-field="narrative.text"] textarea', 'Small-arms fire at our positions; no casualties.');
    await q.click('form button[type=submit]');
    const error = q.locator('label[data-field="occurred.from"] .field-error');
    await error.waitFor();
    await q.waitForFunction(() => (document.querySelector('label[data-field="occurred.from"] .field-error')?.textContent ?? '') !== '');
    const kept = await q.inputValue('label[data-field="narrative.text"] textarea');
    if (!kept.startsWith('Small-arms fire')) throw new Error('what was typed was lost');
    await shot(q, 'submit-error-en');
    await accessible(q, 'submit');
    // Where and when the demo's published Sotk incident happened: matching proposes it
    // (a published incident is never joined without a monitor).
    await q.fill('label[data-field="location.place"] input', 'Sotk');
    await q.waitForFunction(() => [...document.querySelectorAll('#place-options option')].some((o) => o.value === 'Sotk'));
    await q.fill('label[data-field="occurred.from"] input', '2021-07-22T21:00');
    await q.click('form button[type=submit]');
    await q.waitForSelector('p.done');
    submitted = (await q.textContent('p.done'))?.match(/[0-9A-HJKMNP-TV-Z]{26}/)?.[0] ?? null;
    if ((await error.textContent()) !== '') throw new Error('the corrected field still shows its error');
    await q.selectOption('#lang', 'ar');
    await q.waitForSelector('form button[type=submit]');
    await shot(q, 'submit-ar');
  });
}
// A monitor takes the liaison's new incident through review and a finding; the board
// endorses it; the monitor publishes; a visitor then reads it, without personal data.
await step('a monitor verifies the new incident with a finding and publishes it', async () => {
  if (!submitted || !monitorName) throw new Error('no claim was submitted above, or the demo has no monitor');
  const m = await page();
  await signIn(m, monitorName);
  await m.click('#nav-workspace');
  await m.waitForSelector('.workspace');
  await shot(m, 'workspace-en');
  await accessible(m, 'workspace');
  const id = await reportedIncidentOf(m, submitted);
  if (!id) throw new Error(`the claim ${submitted} is in no reported incident`);
  await m.goto(`${base}/#/incident/${id}`);
  await m.fill('.actions label[data-field=reason] textarea', 'A team is tasked.');
  await act(m);
  await m.waitForSelector('.actions label[data-field="finding.rationale"]');
  await m.selectOption('.actions label[data-field="finding.provisions_breached"] select', { index: 1 });
  await m.fill('.actions label[data-field="finding.evidence"] input', 'Patrol report, browser test');
  await m.fill('.actions label[data-field="finding.rationale"] textarea', 'Impacts seen by the team on site.');
  await m.fill('.actions label[data-field=reason] textarea', 'Team report reviewed.');
  await shot(m, 'finding-form-en');
  await act(m);
  await m.waitForSelector('.actions label[data-field=endorse]');
  const scenario = await (await fetch(`${base}/api/v1/scenario`)).json();
  const rule = scenario.verification.endorsement;
  const members = [];
  for (const g of rule.groups_required) members.push(rule.members.find((x) => x.group === g).user);
  for (const x of rule.members) if (members.length < rule.required && !members.includes(x.user)) members.push(x.user);
  for (const member of members) {
    const b = await page();
    await signIn(b, member);
    await b.goto(`${base}/#/incident/${id}`);
    await b.waitForSelector('.actions label[data-field=endorse]');
    await act(b);
    await b.context().close();
  }
  await m.goto(`${base}/#/`);
  await m.goto(`${base}/#/incident/${id}`);
  await m.waitForSelector('.actions label[data-field=reason]');
  await m.fill('.actions label[data-field=reason] textarea', 'Endorsed by the board.');
  await act(m);
  await m.waitForFunction(() => document.querySelector('.incident .chip')?.textContent !== '');
  const visitor = await page();
  await visitor.goto(`${base}/#/incident/${id}`);
  await visitor.waitForSelector('.account');
  const text = await visitor.textContent('main');
  if (!text.includes('Impacts seen by the team on site.')) throw new Error('the visitor does not see the published finding');
  if (/Vardan|Fictitious|Personmarker|\+374/.test(text)) throw new Error('personal data shown to a visitor');
  // Each history item's ledger proof, checked in the visitor's browser against the
  // checkpoint the witnesses cosigned.
  await visitor.click('.history button.link >> nth=0');
  await visitor.waitForSelector('.history .proof-result.good');
  const checked = await visitor.textContent('.history .proof-result');
  if (!/inclusion proof checked here/.test(checked ?? '') || !/ARM/.test(checked ?? '')) throw new Error(`proof: ${checked}`);
  await shot(visitor, 'published-incident-en');
  // A monitor team's report of the same event arrives after publication: it opens an
  // incident of its own (a published one is never joined without a monitor), with the
  // published one proposed, explained, and offered for a merge.
  const report = await postSotkReport(m, 'Team report, browser test', 'Small-arms fire heard near Sotk.');
  const opened = await reportedIncidentOf(m, report);
  if (!opened) throw new Error('the report is in no reported incident');
  await m.goto(`${base}/#/`);
  await m.goto(`${base}/#/incident/${opened}`);
  // Matching's proposal, explained; a merge without a reason is refused beside the form.
  await m.waitForSelector('.proposal form button');
  await m.click('.proposal form button');
  await m.waitForFunction(() => (document.querySelector('.proposal .field-error')?.textContent ?? '') !== '');
  await shot(m, 'proposals-en');
  await accessible(m, 'matching proposals');

  // A second report joins the first one's incident. With two claims there, the monitor moves
  // the one matching scored against the published incident into it, giving a reason.
  const second = await postSotkReport(m, 'Second team, browser test', 'Rifle fire heard by the second team at Sotk.');
  if (!second) throw new Error('no second report');
  const before = await m.evaluate(async (id) => (await (await fetch(`/api/v1/incidents/${id}`)).json()).proposed?.[0], opened);
  const accounts = async (id) => m.evaluate(async (i) => (await (await fetch(`/api/v1/incidents/${i}`)).json()).accounts.flatMap((a) => a.claims).length, id);
  const held = await accounts(before.incident);
  await m.goto(`${base}/#/`);
  await m.goto(`${base}/#/incident/${opened}`);
  await m.waitForFunction(() => document.querySelectorAll('.claim').length === 2);
  await m.waitForSelector('.proposal form button.secondary');
  await m.fill('.proposal form input', 'The team heard the fire the mission already verified.');
  await m.click('.proposal form button.secondary');
  await m.waitForFunction((to) => location.hash === `#/incident/${to}`, before.incident);
  await m.waitForSelector('.claim');
  if ((await accounts(before.incident)) !== held + 1) throw new Error('the claim did not move into the proposed incident');

  // A third report joins the first one's incident; the monitor detaches it again into an
  // incident of its own, giving a reason.
  await postSotkReport(m, 'Third team, browser test', 'Bursts of fire heard from the east of Sotk.');
  await m.goto(`${base}/#/`);
  await m.goto(`${base}/#/incident/${opened}`);
  await m.waitForFunction(() => document.querySelectorAll('.claim').length === 2);
  const card = m.locator('.claim', { hasText: 'Bursts of fire' });
  await card.locator('form.detach input').fill('A different burst, heard by another team.');
  await card.locator('form.detach button').click();
  await m.waitForFunction((from) => location.hash.startsWith('#/incident/') && !location.hash.endsWith(from), opened);
  await m.waitForSelector('.claim');
  const moved = await m.textContent('main');
  if (!moved?.includes('Bursts of fire') || moved.includes('heard near Sotk.') || moved.includes('second team')) throw new Error('the detached claim is not alone in its new incident');
});
// A monitor splits two claims at once off the demo's incident under review that holds three
// (a drone strike, fortification works and a position seized), reading first why matching
// placed them there, in English and in Arabic.
await step('a monitor splits two claims off into a new incident', async () => {
  if (!monitorName) throw new Error('the demo has no monitor');
  const m = await page();
  await signIn(m, monitorName);
  const id = await m.evaluate(async () => (await (await fetch('/api/v1/incidents?state=under_review&limit=500')).json()).items.find((i) => i.claims >= 3)?.id);
  if (!id) throw new Error('the demo has no incident under review with three claims');
  await m.goto(`${base}/#/incident/${id}`);
  await m.waitForFunction(() => !document.querySelector('main[aria-busy]') && document.querySelectorAll('.claim .pick input').length >= 3);
  const placed = await m.locator('.claim .placed').allTextContents();
  if (!placed.length || !placed.every((p) => /^Placed here by matching, score 0\.\d\d: \S/.test(p))) throw new Error(`matching's reasons: ${placed.join(' | ')}`);
  await shot(m, 'split-en');
  await rerendered(m, () => m.selectOption('#lang', 'ar'));
  const words = await m.locator('.claim .placed').allTextContents();
  if (words.some((p) => /[A-Za-z]/.test(p))) throw new Error(`matching's reasons in Latin script in Arabic: ${words.join(' | ')}`);
  await shot(m, 'split-ar');
  await accessible(m, 'split (ar)');
  const boxes = m.locator('.claim .pick input');
  const n = await boxes.count();
  for (let i = 0; i < n; i++) await boxes.nth(i).check();
  if (!(await m.isDisabled('form.split button'))) throw new Error('all the claims may be split off');
  await boxes.nth(0).uncheck();
  const moving = await m.locator('.claim', { has: m.locator('.pick input:checked') }).locator('.what').allTextContents();
  // Without a reason the split is refused, beside the form.
  await m.click('form.split button');
  await m.waitForFunction(() => (document.querySelector('form.split .field-error')?.textContent ?? '') !== '');
  await m.fill('form.split input', 'Two other events, reported apart from the drone strike.');
  await rerendered(m, () => m.click('form.split button'));
  if (m.url().endsWith(id)) throw new Error('the page stays on the incident split');
  const moved = await m.locator('.claim .what').allTextContents();
  if (moved.length !== 2 || moving.some((w) => !moved.includes(w))) throw new Error(`the new incident holds ${moved.join(', ')}; ${moving.join(', ')} were split off`);
  const left = await m.evaluate(async (id) => (await (await fetch(`/api/v1/incidents/${id}`)).json()).accounts.flatMap((a) => a.claims).length, id);
  if (left !== n - 2) throw new Error(`${left} claims left in the incident split`);
});
// A monitor reads the article the project started from into drafts: each field is marked in
// its words; one draft becomes a claim, another is rejected with a reason (refused without).
await step('a monitor reads an article into drafts, accepts one and rejects another', async () => {
  if (!monitorName) throw new Error('the demo has no monitor');
  const m = await page();
  await signIn(m, monitorName);
  await m.goto(`${base}/#/drafts`);
  await m.waitForSelector('.drafts details.read-article');
  await m.click('.drafts details.read-article summary');
  const article = readFileSync(join(here, '../../../shared/fixtures/news/dev/000-ar.txt'), 'utf8').split('\n\n').slice(1).join('\n\n');
  await m.fill('label[data-field="text"] textarea', article);
  await m.fill('label[data-field="published"] input', '2021-11-17');
  await m.fill('label[data-field="source"] input', 'Sputnik Arabic (browser test)');
  await m.click('.read-article button[type="submit"]');
  await m.waitForFunction(() => document.querySelectorAll('article.draft').length >= 4);
  const marked = await m.locator('article.draft blockquote mark').allTextContents();
  if (!marked.some((w) => w.includes('وزارة الدفاع الأرمينية')) || !marked.includes('12')) throw new Error(`marked words: ${marked.join(' | ')}`);
  await shot(m, 'drafts-en');
  await accessible(m, 'drafts');
  const cards = await m.locator('article.draft').count();
  // The Armenian MoD's draft becomes a capture claim.
  const arm = m.locator('article.draft', { hasText: 'وزارة الدفاع الأرمينية' }).first();
  await arm.locator('select').first().selectOption('capture_detention');
  await arm.locator('button[type="submit"]').click();
  await m.waitForFunction((n) => document.querySelectorAll('article.draft').length === n - 1, cards);
  const accepted = await m.evaluate(async () => (await (await fetch('/api/v1/drafts?status=accepted')).json()).items);
  if (accepted.length !== 1 || !accepted[0].claim) throw new Error(`accepted: ${JSON.stringify(accepted)}`);
  const claim = await m.evaluate(async (id) => (await fetch(`/api/v1/claims/${id}`)).json(), accepted[0].claim);
  if (claim.event_type !== 'capture_detention' || claim.casualties?.[0]?.captured !== 12) throw new Error(`claim: ${JSON.stringify(claim)}`);
  // Rejecting needs a reason.
  const next = m.locator('article.draft').first();
  await next.locator('button.secondary').click();
  await m.waitForFunction(() => (document.querySelector('article.draft .field-error')?.textContent ?? '') !== '');
  await next.locator('input:not([type="date"])').fill('Background, not an event of this week.');
  await next.locator('button.secondary').click();
  await m.waitForFunction((n) => document.querySelectorAll('article.draft').length === n - 2, cards);
  await rerendered(m, () => m.selectOption('#lang', 'ar'));
  await m.waitForSelector('article.draft');
  await shot(m, 'drafts-ar');
  await accessible(m, 'drafts (ar)');
});
await browser.close();
if (failures.length) {
  console.error(`${failures.length} failure(s)`);
  process.exit(1);
}
console.log(`browser tests passed; screenshots in ${shots}`);
