// The monitors' workspace: every incident still in the mission's hands, oldest state first,
// with what is overdue marked.
import { all, type Incident } from '../api';
import { t } from '../i18n';
import { incidentItem } from '../dom';
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
    list.append(...here.map((i) => incidentItem(i, types)));
    page.append(h2, list);
  }
  if (!items.length) {
    const p = document.createElement('p');
    p.textContent = t('workspace.empty');
    page.append(p);
  }
  main.append(page);
}
