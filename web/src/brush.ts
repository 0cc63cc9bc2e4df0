// A timeline of incidents per week, as plain SVG, to drag a date range across: on release
// the range (whole weeks) is given to `pick`; a click without a drag gives no range. Time
// runs with the page's direction (right to left in Arabic). The date inputs beside it are
// the keyboard's way to the same range.
import { fmtDate, t } from './i18n';

const SVG = 'http://www.w3.org/2000/svg';
const DAY = 86_400_000;
/// The drawing's own units; it is stretched to the width it is given.
const W = 1000;
const H = 48;
/// Less than this many pixels of pointer travel is a click, not a drag.
const CLICK = 4;

const day = (iso: string): number => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY);
const iso = (d: number): string => new Date(d * DAY).toISOString().slice(0, 10);

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/// The range as words, either end open.
function range(from: string, to: string): string {
  return t('overview.timeline_range', { from: from ? fmtDate(from) : '…', to: to ? fmtDate(to) : '…' });
}

export function weekBrush(
  weeks: { week: string; count: number }[],
  from: string,
  to: string,
  pick: (from: string, to: string) => void,
): HTMLElement {
  const box = document.createElement('div');
  box.className = 'brush';
  const status = document.createElement('p');
  status.className = 'brush-range';
  status.setAttribute('aria-live', 'polite');
  const clear = document.createElement('button');
  clear.type = 'button';
  clear.className = 'link';
  clear.textContent = t('overview.timeline_clear');
  clear.hidden = !from && !to;
  clear.addEventListener('click', () => pick('', ''));
  const head = document.createElement('div');
  head.className = 'brush-head';
  const said = (): string => (from || to ? range(from, to) : t('overview.timeline_hint'));
  status.textContent = said();
  head.append(status, clear);
  box.append(head);
  if (!weeks.length) return box;

  // Whole weeks, Monday to Sunday, from the first week with incidents to the last.
  const start = day(weeks[0].week);
  const end = day(weeks[weeks.length - 1].week) + 7;
  const rtl = document.documentElement.dir === 'rtl';
  const x = (d: number): number => {
    const f = ((d - start) / (end - start)) * W;
    return rtl ? W - f : f;
  };
  const most = Math.max(...weeks.map((w) => w.count));
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img' });
  chart.setAttribute('aria-label', t('overview.timeline', { from: fmtDate(iso(start)), to: fmtDate(iso(end - 1)) }));
  const shade = svg('rect', { class: 'brush-selection', y: 0, height: H, x: 0, width: 0 });
  chart.append(svg('rect', { class: 'brush-ground', x: 0, y: 0, width: W, height: H }), shade);
  const bars: [SVGRectElement, number][] = [];
  for (const w of weeks) {
    const d = day(w.week);
    const h = Math.max(2, (w.count / most) * (H - 4));
    // At least two units wide, however many weeks there are.
    const width = Math.max(2, Math.abs(x(d + 7) - x(d)) - 1);
    const bar = svg('rect', { class: 'brush-bar', x: Math.min(x(d), x(d + 7)), y: H - h, width, height: h });
    const title = svg('title', {});
    title.textContent = t('overview.timeline_week', { week: fmtDate(w.week), count: w.count });
    bar.append(title);
    chart.append(bar);
    bars.push([bar, d]);
  }
  const ends = document.createElement('div');
  ends.className = 'brush-ends';
  for (const d of [start, end - 1]) {
    const s = document.createElement('span');
    s.textContent = fmtDate(iso(d));
    ends.append(s);
  }
  box.append(chart, ends);

  // Shows a range of days [a, b], whole days, on the strip.
  const show = (a: number | null, b: number | null): void => {
    const lo = Math.max(start, a ?? start);
    const hi = Math.min(end, (b ?? end - 1) + 1);
    const on = a !== null || b !== null;
    shade.setAttribute('x', String(Math.min(x(lo), x(hi))));
    shade.setAttribute('width', String(on && hi > lo ? Math.abs(x(hi) - x(lo)) : 0));
    for (const [bar, d] of bars) bar.classList.toggle('out', on && (d + 7 <= lo || d >= hi));
  };
  // Back to the range as given (a drag let go of, or a click).
  const asGiven = (): void => {
    show(from ? day(from) : null, to ? day(to) : null);
    status.textContent = said();
  };
  asGiven();

  // The week under the pointer, by how far along the strip it is.
  const weekAt = (ev: PointerEvent): number => {
    const r = chart.getBoundingClientRect();
    const f = Math.min(0.999, Math.max(0, (ev.clientX - r.left) / r.width));
    const along = rtl ? 1 - f : f;
    return start + Math.floor((along * (end - start)) / 7) * 7;
  };
  let anchor: { week: number; px: number } | null = null;
  const span = (ev: PointerEvent): [number, number] => {
    const w = weekAt(ev);
    const a = anchor?.week ?? w;
    return [Math.min(a, w), Math.max(a, w) + 6];
  };
  chart.addEventListener('pointerdown', (ev) => {
    anchor = { week: weekAt(ev), px: ev.clientX };
    chart.setPointerCapture(ev.pointerId);
    ev.preventDefault();
  });
  chart.addEventListener('pointermove', (ev) => {
    if (!anchor) return;
    const [a, b] = span(ev);
    show(a, b);
    status.textContent = range(iso(a), iso(b));
  });
  chart.addEventListener('pointerup', (ev) => {
    if (!anchor) return;
    const [a, b] = span(ev);
    const dragged = Math.abs(ev.clientX - anchor.px) >= CLICK;
    anchor = null;
    if (dragged) pick(iso(a), iso(b));
    else {
      asGiven();
      pick('', '');
    }
  });
  chart.addEventListener('pointercancel', () => {
    anchor = null;
    asGiven();
  });
  return box;
}
