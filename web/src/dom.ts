// Small pieces of page shared by several pages.
import type { Incident } from './api';
import { fmtDate, named, t } from './i18n';
import { STATE_COLOURS } from './map';
import type { Names } from './scenario';

/// A select of (value, text) options.
export function select(options: [string, string][], value = ''): HTMLSelectElement {
  const s = document.createElement('select');
  for (const [v, text] of options) {
    const o = document.createElement('option');
    o.value = v;
    o.textContent = text;
    s.append(o);
  }
  s.value = value;
  return s;
}

/// An incident as a list item linking to its page: its state (or overdue), what happened,
/// when, who says so and how many claims.
export function incidentItem(i: Incident & { overdue?: boolean }, types: Map<string, Names>): HTMLLIElement {
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.href = `#/incident/${i.id}`;
  const chip = document.createElement('span');
  chip.className = 'chip';
  chip.style.background = i.overdue ? '#b91c1c' : (STATE_COLOURS[i.state] ?? '#334155');
  chip.textContent = i.overdue ? t('workspace.overdue') : t(`state.${i.state}`);
  const what = document.createElement('span');
  what.className = 'what';
  what.textContent = i.event_types.map((e) => named(types.get(e))).join(', ');
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = `${fmtDate(i.occurred.from)} · ${i.claimants.join(' / ')} · ${t('incident.claims', { count: i.claims })}`;
  a.append(chip, what, meta);
  li.append(a);
  return li;
}
