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
    // Chromium logs every refused request; the one the test provokes (a claim with a bad
    // field, answered 422) is expected, nothing else is.
    const provoked = /status of 422/.test(m.text()) && /\/api\/v1\/(claims|incidents\/[0-9A-Z]+\/merge)$/.test(m.location().url);
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

  // A second report joins the first one's incident; the monitor detaches it again into an
  // incident of its own, giving a reason.
  const second = await postSotkReport(m, 'Second team, browser test', 'Bursts of fire heard from the east of Sotk.');
  await m.goto(`${base}/#/`);
  await m.goto(`${base}/#/incident/${opened}`);
  await m.waitForFunction(() => document.querySelectorAll('.claim').length === 2);
  const card = m.locator('.claim', { hasText: 'Bursts of fire' });
  await card.locator('input').fill('A different burst, heard by another team.');
  await card.locator('form.detach button').click();
  await m.waitForFunction((from) => location.hash.startsWith('#/incident/') && !location.hash.endsWith(from), opened);
  await m.waitForSelector('.claim');
  const moved = await m.textContent('main');
  if (!moved?.includes('Bursts of fire') || moved.includes('Small-arms fire heard near Sotk.')) throw new Error('the detached claim is not alone in its new incident');
  if (!second) throw new Error('no second report');

});
await browser.close();
if (failures.length) {
  console.error(`${failures.length} failure(s)`);
  process.exit(1);
}
console.log(`browser tests passed; screenshots in ${shots}`);
