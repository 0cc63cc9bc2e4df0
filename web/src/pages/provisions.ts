// The provisions dashboard: each provision's status, why, its indicators and latest records.
import { get } from '../api';
import { fmtDate, fmtNumber, named, t } from '../i18n';
import { scenario, type Scenario } from '../scenario';
import { bars, stacked, steps, timeline } from '../charts';

/// Why a provision has its status: a code with its values (and the English, unused here).
interface Reason {
  code: string;
  values: Record<string, unknown>;
}

interface Compliance {
  provision: string;
  number: number;
  kind: string;
  status: string;
  reasons: Reason[];
  indicators: { name: string; label: string; value: unknown }[];
  latest: { record: string; kind: string; at: string; summary: string }[];
}

const STATUS_COLOURS: Record<string, string> = {
  kept: '#15803d',
  violations_verified: '#b91c1c',
  disputed: '#b45309',
  no_data: '#6b7280',
};
/// Series colours: sectors, holding parties.
const PALETTE = ['#b91c1c', '#1d4ed8', '#a16207', '#0f766e', '#7c3aed', '#be185d', '#c2410c'];
/// Indicators drawn only as charts: a table of them would be a wall of numbers.
const CHARTED = ['status_timeline', 'violations_verified_per_week_and_sector', 'held_per_party_over_time'];

/// A deadline by the name of its zone (short, in every language), else by what it asks.
function deadlineName(id: unknown, sc: Scenario): string {
  const d = sc.provisions.flatMap((p) => p.deadlines).find((x) => x.id === id);
  return named(sc.zones.find((z) => z.id === d?.zone)?.names) || named(d?.what) || String(id);
}

function value(v: unknown, sc: Scenario): string {
  if (typeof v === 'number') return fmtNumber(v);
  if (v && typeof v === 'object' && Object.keys(v).length === 0) return '—';
  if (Array.isArray(v)) {
    // Deadlines: each one's state and lateness.
    return v
      .map((row: Record<string, unknown>) =>
        row.deadline !== undefined
          ? `${deadlineName(row.deadline, sc)}: ${t(`deadline.${String(row.state)}`)}${Number(row.days_late) > 0 ? ` (${t('deadline.days_late', { count: Number(row.days_late) })})` : ''}`
          : JSON.stringify(row),
      )
      .join('; ');
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${value(x, sc)}`)
      .join('; ');
  }
  return JSON.stringify(v);
}

/// A reason in the reader's language, from its code and values.
function reason(r: Reason, sc: Scenario, party: (p: string) => string): string {
  const v = r.values;
  const count = Number(v.count ?? 0);
  switch (r.code) {
    case 'deadline_late':
      return t('reason.deadline_late', { deadline: deadlineName(v.deadline, sc), state: t(`deadline.${String(v.state)}`), late: t('deadline.days_late', { count }), due: fmtDate(String(v.due)) });
    case 'deadline_overdue':
      return t('reason.deadline_overdue', { deadline: deadlineName(v.deadline, sc), due: fmtDate(String(v.due)) });
    case 'still_held': {
      const held = Object.entries(v.per_party as Record<string, number>).map(([p, n]) => `${party(p)} (${fmtNumber(n)})`);
      return t('reason.still_held', { count, parties: held.join(t('common.separator')) });
    }
    default:
      return t(`reason.${r.code}`, { count });
  }
}

/// Violations per week, stacked by the scenario's sector they fall in.
function sectorChart(weekly: Record<string, Record<string, number>>, sc: Scenario): HTMLElement {
  const weeks = Object.keys(weekly);
  const seen = new Set(weeks.flatMap((w) => Object.keys(weekly[w])));
  const sectors: [string, string][] = sc.zones.filter((z) => z.kind === 'sector' && seen.has(z.id)).map((z) => [z.id, named(z.names)]);
  if (seen.has('outside_sectors')) sectors.push(['outside_sectors', t('provisions.outside_sectors')]);
  return stacked(
    t('indicator.violations_verified_per_week_and_sector'),
    weeks.map(fmtDate),
    sectors.map(([id, name], i) => ({
      name,
      values: weeks.map((w) => weekly[w][id] ?? 0),
      colour: id === 'outside_sectors' ? '#94a3b8' : PALETTE[i % PALETTE.length],
    })),
  );
}

export async function renderProvisions(main: HTMLElement): Promise<void> {
  const [sc, all] = await Promise.all([scenario(), get<Compliance[]>('/api/v1/provisions')]);
  const party = (p: string): string => named(sc.parties.find((x) => x.id === p)?.names) || p;
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
      const li = document.createElement('li');
      li.textContent = reason(r, sc, party);
      reasons.append(li);
    }
    const table = document.createElement('dl');
    for (const i of c.indicators.filter((i) => !CHARTED.includes(i.name))) {
      const dt = document.createElement('dt');
      dt.textContent = t(`indicator.${i.name}`);
      const dd = document.createElement('dd');
      dd.textContent = value(i.value, sc);
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
    const weekly = ind('violations_verified_per_week_and_sector') as Record<string, Record<string, number>> | undefined;
    if (weekly && Object.keys(weekly).length) card.append(sectorChart(weekly, sc));
    const stretches = ind('status_timeline') as { from: string; to: string; state: string }[] | undefined;
    if (stretches?.some((s) => s.state !== 'open')) {
      const colours = { open: '#15803d', restricted: '#d97706', closed: '#b91c1c' };
      const names = { open: t('link.open'), restricted: t('link.restricted'), closed: t('link.closed') };
      card.append(timeline(t('indicator.status_timeline'), stretches, colours, names));
    }
    const monthly = ind('returns_per_month') as Record<string, number> | undefined;
    if (monthly && Object.keys(monthly).length) card.append(bars(t('indicator.returns_per_month'), monthly, '#0f766e'));
    const held = ind('still_held_per_party') as Record<string, number> | undefined;
    if (held && Object.keys(held).length) {
      card.append(bars(t('indicator.still_held_per_party'), Object.fromEntries(Object.entries(held).map(([p, n]) => [party(p), n])), '#7c3aed'));
    }
    // Persons held after each day with a change, one line per holding party.
    const overTime = ind('held_per_party_over_time') as Record<string, Record<string, number>> | undefined;
    if (overTime && Object.keys(overTime).length) {
      const days = Object.keys(overTime);
      const holders = [...new Set(days.flatMap((d) => Object.keys(overTime[d])))];
      card.append(
        steps(
          t('indicator.held_per_party_over_time'),
          holders.map((h, i) => ({ name: party(h), points: days.map((d): [string, number] => [d, overTime[d][h] ?? 0]), colour: PALETTE[i % PALETTE.length] })),
        ),
      );
    }
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
