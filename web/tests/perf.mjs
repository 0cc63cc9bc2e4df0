// Measures the web UI in headless Chromium against a running server (TRUCE_URL), signed in as
// TRUCE_USER / TRUCE_PASSWORD: the overview's time to interactive (navigation to the list and
// the map's incidents drawn), frames while panning the map by mouse, and the JavaScript
// payload gzipped. Prints one JSON object. Run by the `ui` section of the claims benchmark.
import { chromium } from 'playwright-core';
import { gzipSync } from 'node:zlib';

const base = process.env.TRUCE_URL;
const loads = Number(process.env.LOADS ?? 5);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
const page = await context.newPage();
await page.goto(`${base}/#/sign-in`);
await page.fill('input[name=name]', process.env.TRUCE_USER ?? '');
await page.fill('input[name=password]', process.env.TRUCE_PASSWORD ?? '');
await page.click('form button[type=submit]');
await page.waitForFunction(() => document.getElementById('who')?.textContent?.includes('·'));

// The JavaScript the page loads, gzipped.
const scripts = new Map();
page.on('response', async (r) => {
  if (r.request().resourceType() === 'script') scripts.set(r.url(), gzipSync(await r.body()).length);
});

const tti = [];
let shown = 0;
for (let i = 0; i < loads; i++) {
  await page.goto('about:blank');
  await page.goto(`${base}/#/`, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.querySelectorAll('.incidents li a').length > 0 && document.querySelector('.leaflet-overlay-pane canvas'));
  tti.push(await page.evaluate(() => performance.now()));
  shown = await page.locator('.incidents li a').count();
}

// Panning: drag the map for two seconds and count the frames the page paints meanwhile.
const box = await page.locator('.map').boundingBox();
await page.evaluate(() => {
  window.__frames = [];
  const tick = (t) => {
    window.__frames.push(t);
    if (window.__frames.length < 100000) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
});
const cx = box.x + box.width / 2;
const cy = box.y + box.height / 2;
await page.mouse.move(cx, cy);
await page.mouse.down();
const started = Date.now();
let step = 0;
while (Date.now() - started < 2000) {
  step++;
  await page.mouse.move(cx + 150 * Math.sin(step / 10), cy + 100 * Math.cos(step / 10), { steps: 2 });
}
await page.mouse.up();
const frames = await page.evaluate(() => window.__frames);
const gaps = frames.slice(1).map((t, i) => t - frames[i]).filter((g) => g > 0);
gaps.sort((a, b) => a - b);
await browser.close();
const sorted = [...tti].sort((a, b) => a - b);
console.log(
  JSON.stringify({
    tti_ms: sorted,
    tti_p50_ms: sorted[Math.floor(sorted.length / 2)],
    tti_max_ms: sorted[sorted.length - 1],
    listed: shown,
    pan_frames: gaps.length,
    pan_mean_frame_ms: gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length),
    pan_p95_frame_ms: gaps[Math.floor(gaps.length * 0.95)] ?? null,
    js_gzip_bytes: [...scripts.values()].reduce((a, b) => a + b, 0),
  }),
);
