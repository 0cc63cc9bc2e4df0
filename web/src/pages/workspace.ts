// The monitors' workspace: every incident still in the mission's hands, oldest state first,
// with what is overdue marked.
import { all, type Incident } from '../api';
import { fmtDate, named, t } from '../i18n';
import { STATE_COLOURS } from '../map';
import { scenario } from '../scenario';

const OPEN = ['reported', 'under_review', 'access_denied', 'finding_proposed', 'endorsed', 'disputed', 'reopened'];

export async function renderWorkspace(main: HTMLElement): Promise<void> {
  const sc = await scenario();
  const types = new Map(sc.taxonomy.event_types.map((e) => [e.id, e.label]));
  const items = await all<Incident & { overdue?: boolean; state_since?: string }>('/api/v1/incidents', { state: OPEN.join(',') });
  const page = document.createElement('section');
  page.className = 'workspace';
  const h = document.createElement('h1');
  h.textContent = t('workspace.title');
  page.append(h);
  for (const state of OPEN) {
    const here = items.filter((i) => i.state === state);
    if (!here.length) continue;
    const h2 = document.createElement('h2');
    h2.textContent = `${t(`state.${state}`)} (${here.length})`;
    const list = document.createElement('ul');
    list.className = 'incidents';
    for (const i of here) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `#/incident/${i.id}`;
      const chip = document.createElement('span');
      chip.className = 'chip';
      chip.style.background = i.overdue ? '#b91c1c' : (STATE_COLOURS[i.state] ?? '#334155');
      chip.textContent = i.overdue ? t('workspace.overdue') : t(`state.${i.state}`);
      const what = document.createElement('span');
      what.textContent = i.event_types.map((e) => named(types.get(e))).join(', ');
      const meta = document.createElement('span');
      meta.className = 'meta';
      meta.textContent = `${fmtDate(i.occurred.from)} · ${i.claimants.join(' / ')} · ${t('incident.claims', { count: i.claims })}`;
      a.append(chip, what, meta);
      li.append(a);
      list.append(li);
    }
    page.append(h2, list);
  }
  if (!items.length) {
    const p = document.createElement('p');
    p.textContent = t('workspace.empty');
    page.append(p);
  }
  main.append(page);
}
