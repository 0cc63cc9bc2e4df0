// One incident: the parties' accounts side by side, the finding and the history.
import { get } from '../api';
import { fmtDate, named, t } from '../i18n';
import { STATE_COLOURS } from '../map';
import { scenario } from '../scenario';

interface Account {
  claimant: string;
  claims: { claim: Record<string, unknown> }[];
}
interface Detail {
  id: string;
  state: string;
  occurred?: { from: string; to: string };
  accounts: Account[];
  finding?: Record<string, unknown> | null;
  history?: { seq: number; kind: string; actor: string; received_at: string }[];
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

export async function renderIncident(main: HTMLElement, id: string): Promise<void> {
  const [sc, d] = await Promise.all([scenario(), get<Detail>(`/api/v1/incidents/${encodeURIComponent(id)}`)]);
  const party = (p: string): string => named(sc.parties.find((x) => x.id === p)?.names) || p;
  const types = new Map(sc.taxonomy.event_types.map((e) => [e.id, e.label]));
  const page = el('section', undefined, 'incident');
  const back = el('a', t('incident.back'));
  back.href = '#/';
  const h = el('h1', t('incident.title'));
  const chip = el('span', t(`state.${d.state}`), 'chip');
  chip.style.background = STATE_COLOURS[d.state] ?? '#334155';
  h.append(' ', chip);
  page.append(back, h);
  if (d.occurred) page.append(el('p', `${t('incident.occurred')}: ${fmtDate(d.occurred.from)} – ${fmtDate(d.occurred.to)}`, 'meta'));

  // The accounts, one column per claimant.
  const cols = el('div', undefined, 'accounts');
  for (const a of d.accounts) {
    const col = el('article', undefined, 'account');
    col.append(el('h2', party(a.claimant)));
    for (const { claim } of a.claims) {
      const c = claim as {
        event_type?: string;
        accused?: string | null;
        occurred?: { from: string };
        narrative?: { text: string; lang: string };
        casualties?: { party: string; category: string; killed?: unknown; wounded?: unknown; captured?: unknown }[];
      };
      const card = el('div', undefined, 'claim');
      card.append(el('p', named(types.get(c.event_type ?? '')), 'what'));
      if (c.accused) card.append(el('p', `${t('incident.accused')}: ${party(c.accused)}`, 'meta'));
      if (c.occurred) card.append(el('p', fmtDate(c.occurred.from), 'meta'));
      for (const cas of c.casualties ?? []) {
        const n = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
        const parts = (['killed', 'wounded', 'captured'] as const)
          .filter((k) => cas[k] !== undefined)
          .map((k) => `${t(`casualties.${k}`)} ${n(cas[k])}`);
        card.append(el('p', `${party(cas.party)}: ${parts.join(', ')}`, 'casualties'));
      }
      if (c.narrative) {
        const q = el('blockquote', c.narrative.text);
        q.lang = c.narrative.lang;
        q.dir = 'auto';
        card.append(q);
      }
      col.append(card);
    }
    cols.append(col);
  }
  page.append(el('h2', t('incident.accounts')), cols);
  if (d.finding) {
    const f = d.finding as { occurrence?: string; rationale?: string };
    page.append(el('h2', t('incident.finding')));
    const box = el('div', undefined, 'finding');
    box.append(el('p', t(`occurrence.${f.occurrence ?? 'not_verified'}`), 'what'));
    const why = el('blockquote', f.rationale ?? '');
    why.dir = 'auto';
    box.append(why);
    page.append(box);
  }
  main.append(page);
}
