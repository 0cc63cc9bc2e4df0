// Charts (Chart.js, only the parts used), in the page's language and direction.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { fmtDate, lang } from './i18n';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

function canvas(label: string): [HTMLElement, HTMLCanvasElement] {
  const box = document.createElement('figure');
  box.className = 'chart';
  const c = document.createElement('canvas');
  c.setAttribute('role', 'img');
  c.setAttribute('aria-label', label);
  const cap = document.createElement('figcaption');
  cap.textContent = label;
  box.append(c, cap);
  return [box, c];
}

const rtl = (): boolean => document.documentElement.dir === 'rtl';
const DAY = 86_400_000;

/// Bars of values by label.
export function bars(label: string, data: Record<string, number>, colour = '#1d4ed8'): HTMLElement {
  const [box, c] = canvas(label);
  new Chart(c, {
    type: 'bar',
    data: { labels: Object.keys(data), datasets: [{ label, data: Object.values(data), backgroundColor: colour, maxBarThickness: 48 }] },
    options: {
      locale: lang(),
      animation: false,
      plugins: { legend: { display: false } },
      scales: { x: { reverse: rtl() }, y: { beginAtZero: true, position: rtl() ? 'right' : 'left', ticks: { precision: 0 } } },
    },
  });
  return box;
}

/// A line of values by label.
export function line(label: string, labels: string[], values: number[]): HTMLElement {
  const [box, c] = canvas(label);
  new Chart(c, {
    type: 'line',
    data: { labels, datasets: [{ label, data: values, borderColor: '#0b2545', pointRadius: 0, tension: 0 }] },
    options: {
      locale: lang(),
      animation: false,
      plugins: { legend: { display: false } },
      scales: { x: { reverse: rtl(), ticks: { maxTicksLimit: 8 } }, y: { beginAtZero: true, position: rtl() ? 'right' : 'left' } },
    },
  });
  return box;
}

/// Stretches of days in a state, as a strip: one bar per stretch, coloured by state.
export function timeline(label: string, stretches: { from: string; to: string; state: string }[], colours: Record<string, string>, names: Record<string, string>): HTMLElement {
  const [box, c] = canvas(label);
  const day = (s: string): number => Date.parse(`${s}T00:00:00Z`) / DAY;
  const start = stretches.length ? day(stretches[0].from) : 0;
  new Chart(c, {
    type: 'bar',
    data: {
      labels: [''],
      datasets: stretches.map((s) => ({
        label: `${names[s.state] ?? s.state}: ${s.from} – ${s.to}`,
        data: [[day(s.from) - start, day(s.to) - start + 1] as unknown as number],
        backgroundColor: colours[s.state] ?? '#94a3b8',
        barPercentage: 1,
        categoryPercentage: 1,
      })),
    },
    options: {
      indexAxis: 'y',
      // A strip, not a block.
      aspectRatio: 6,
      locale: lang(),
      animation: false,
      plugins: { legend: { display: false } },
      scales: { x: { stacked: false, reverse: rtl(), ticks: { display: false }, grid: { display: false } }, y: { stacked: true, grid: { display: false } } },
    },
  });
  return box;
}

/// Bars stacked by series over the same labels, with a legend naming the series.
export function stacked(label: string, labels: string[], series: { name: string; values: number[]; colour: string }[]): HTMLElement {
  const [box, c] = canvas(label);
  new Chart(c, {
    type: 'bar',
    data: { labels, datasets: series.map((s) => ({ label: s.name, data: s.values, backgroundColor: s.colour, maxBarThickness: 48 })) },
    options: {
      locale: lang(),
      animation: false,
      plugins: { legend: { position: 'bottom', rtl: rtl(), labels: { boxWidth: 12 } }, tooltip: { rtl: rtl() } },
      scales: {
        x: { stacked: true, reverse: rtl() },
        y: { stacked: true, beginAtZero: true, position: rtl() ? 'right' : 'left', ticks: { precision: 0 } },
      },
    },
  });
  return box;
}

/// Lines of values that hold from one day to the next change (days as `YYYY-MM-DD`), one
/// per series, the days spaced as in time.
export function steps(label: string, series: { name: string; points: [string, number][]; colour: string }[]): HTMLElement {
  const [box, c] = canvas(label);
  const short = new Intl.DateTimeFormat(lang(), { dateStyle: 'short', timeZone: 'UTC' });
  const day = (d: number): string => short.format(new Date(d * DAY));
  new Chart(c, {
    type: 'line',
    data: {
      datasets: series.map((s) => ({
        label: s.name,
        data: s.points.map(([d, v]) => ({ x: Date.parse(`${d}T00:00:00Z`) / DAY, y: v })),
        borderColor: s.colour,
        backgroundColor: s.colour,
        stepped: true,
        pointRadius: 2,
      })),
    },
    options: {
      locale: lang(),
      animation: false,
      plugins: {
        legend: { position: 'bottom', rtl: rtl(), labels: { boxWidth: 12 } },
        tooltip: { rtl: rtl(), callbacks: { title: ([i]) => (i ? fmtDate(new Date(Number(i.parsed.x) * DAY).toISOString()) : '') } },
      },
      scales: {
        x: { type: 'linear', bounds: 'data', reverse: rtl(), ticks: { maxTicksLimit: 5, maxRotation: 0, includeBounds: false, callback: (v) => day(Number(v)) } },
        y: { beginAtZero: true, position: rtl() ? 'right' : 'left', ticks: { precision: 0 } },
      },
    },
  });
  return box;
}
