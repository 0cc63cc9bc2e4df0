// The provisions dashboard: each provision's status, why, its indicators and latest records.
import { get } from '../api';
import { fmtDate, fmtNumber, named, t } from '../i18n';
import { scenario } from '../scenario';
import { bars, timeline } from '../charts';

interface Compliance {
  provision: string;
  number: number;
  kind: string;
  status: string;
  reasons: string[];
  indicators: { name: string; label: string; value: unknown }[];
  latest: { record: string; kind: string; at: string; summary: string }[];
}

const STATUS_COLOURS: Record<string, string> = {
  kept: '#15803d',
  violations_verified: '#b91c1c',
  disputed: '#b45309',
  no_data: '#6b7280',
};

function value(v: unknown): string {
  if (typeof v === 'number') return fmtNumber(v);
  if (v && typeof v === 'object' && Object.keys(v).length === 0) return '—';
  if (Array.isArray(v)) {
    // Deadlines: each one's state and lateness.
    return v
      .map((row: Record<string, unknown>) =>
        row.deadline !== undefined
          ? `${String(row.deadline)}: ${t(`deadline.${String(row.state)}`)}${Number(row.days_late) > 0 ? ` (${t('deadline.days_late', { count: Number(row.days_late) })})` : ''}`
          : JSON.stringify(row),
      )
      .join('; ');
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${value(x)}`)
      .join('; ');
  }
  return JSON.stringify(v);
}

export async function renderProvisions(main: HTMLElement): Promise<void> {
  const [sc, all] = await Promise.all([scenario(), get<Compliance[]>('/api/v1/provisions')]);
  const page = document.createElement('section');
  page.className = 'provisions';
  const h = document.createElement('h1');
  h.textContent = t('provisions.title');
  page.append(h);
  const grid = document.createElement('div');
  grid.className = 'grid';
  for (const c of all) {
    const card = document.createElement('article');
    card.className = 'provision';
    card.dataset.provision = c.provision;
    const title = document.createElement('h2');
    const p = sc.provisions.find((x) => x.id === c.provision);
    title.textContent = `${c.number}. ${named(p?.title)}`;
    const status = document.createElement('span');
    status.className = 'chip';
    status.style.background = STATUS_COLOURS[c.status] ?? '#334155';
    status.textContent = t(`provisions.status.${c.status}`);
    const reasons = document.createElement('ul');
    reasons.className = 'reasons';
    for (const r of c.reasons) {
      // The server's reasons are in English.
      const li = document.createElement('li');
      li.textContent = r;
      li.lang = 'en';
      li.dir = 'ltr';
      reasons.append(li);
    }
    const table = document.createElement('dl');
    for (const i of c.indicators.filter((i) => i.name !== 'status_timeline')) {
      const dt = document.createElement('dt');
      dt.textContent = t(`indicator.${i.name}`);
      const dd = document.createElement('dd');
      dd.textContent = value(i.value);
      table.append(dt, dd);
    }
    const latest = document.createElement('ul');
    latest.className = 'latest';
    for (const l of c.latest) {
      const li = document.createElement('li');
      li.textContent = `${fmtDate(l.at)} · ${l.summary}`;
      li.dir = 'auto';
      latest.append(li);
    }
    card.append(title, status, reasons, table);
    // The charts that fit the provision's indicators.
    const ind = (n: string): unknown => c.indicators.find((i) => i.name === n)?.value;
    const weekly = ind('violations_verified_per_week') as Record<string, number> | undefined;
    if (weekly && Object.keys(weekly).length) card.append(bars(t('indicator.violations_verified_per_week'), weekly, '#b91c1c'));
    const stretches = ind('status_timeline') as { from: string; to: string; state: string }[] | undefined;
    if (stretches?.some((s) => s.state !== 'open')) {
      const colours = { open: '#15803d', restricted: '#d97706', closed: '#b91c1c' };
      const names = { open: t('link.open'), restricted: t('link.restricted'), closed: t('link.closed') };
      card.append(timeline(t('indicator.status_timeline'), stretches, colours, names));
    }
    const monthly = ind('returns_per_month') as Record<string, number> | undefined;
    if (monthly && Object.keys(monthly).length) card.append(bars(t('indicator.returns_per_month'), monthly, '#0f766e'));
    const held = ind('still_held_per_party') as Record<string, number> | undefined;
    if (held && Object.keys(held).length) card.append(bars(t('indicator.still_held_per_party'), held, '#7c3aed'));
    if (c.latest.length) {
      const lh = document.createElement('h3');
      lh.textContent = t('provisions.latest');
      card.append(lh, latest);
    }
    grid.append(card);
  }
  page.append(grid);
  main.append(page);
}
