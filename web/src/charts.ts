// Charts (Chart.js, only the parts used), in the page's language and direction.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { lang } from './i18n';

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

/// Bars of values by label.
export function bars(label: string, data: Record<string, number>, colour = '#1d4ed8'): HTMLElement {
  const [box, c] = canvas(label);
  new Chart(c, {
    type: 'bar',
    data: { labels: Object.keys(data), datasets: [{ label, data: Object.values(data), backgroundColor: colour }] },
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
  const day = (s: string): number => Date.parse(`${s}T00:00:00Z`) / 86_400_000;
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
      locale: lang(),
      animation: false,
      plugins: { legend: { display: false } },
      scales: { x: { stacked: false, reverse: rtl(), ticks: { display: false }, grid: { display: false } }, y: { stacked: true, grid: { display: false } } },
    },
  });
  c.height = 40;
  return box;
}
