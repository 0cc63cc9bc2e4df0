// The news intake's review queue (monitors): read an article into drafts, then accept each
// draft as a claim (choosing its type) or reject it with a reason. Drafts of different
// articles about one event are shown together, figures side by side, and every field is
// marked in the words it was read from.
import { fieldErrors, get, message, send } from '../api';
import { fmtDate, named, t } from '../i18n';
import { scenario, type Scenario } from '../scenario';

interface Span {
  start: number;
  end: number;
  text: string;
}
interface Field<T> {
  value: T;
  span: Span;
  confidence: number;
}
interface Draft {
  article: { id: string; source?: string; url?: string; lang: string; published?: string };
  draft: number;
  status: string;
  group: number;
  claim?: string;
  reason?: string;
  body: {
    event_types: Field<string>[];
    claimant: Field<{ party: string; name: string }>;
    accused?: Field<{ party: string; name: string }>;
    polarity: Field<string>;
    date?: Field<{ date: string; precision: string }>;
    place?: Field<{ places: string[]; ambiguous: boolean }>;
    casualties?: Field<{ party?: string; kind: string; count: { min?: number; max?: number; approximate?: boolean } }>[];
    positions?: Field<{ min?: number; max?: number }>;
    statement: Span;
    warnings?: string[];
  };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/// A labelled control whose refusal appears beside it.
function field(label: string, input: HTMLElement, name: string): [HTMLLabelElement, HTMLSpanElement] {
  const l = el('label');
  l.dataset.field = name;
  const error = el('span', '', 'field-error');
  l.append(el('span', label), input, error);
  return [l, error];
}

function count(c: { min?: number; max?: number; approximate?: boolean }): string {
  if (c.min !== undefined && c.min === c.max) return `${c.approximate ? '~' : ''}${c.min}`;
  if (c.max === undefined) return `≥${c.min ?? 0}`;
  return `${c.min ?? 0}–${c.max}`;
}

/// The statement with the words each field was read from marked.
function statement(d: Draft): HTMLQuoteElement {
  const q = el('blockquote');
  q.lang = d.article.lang;
  q.dir = 'auto';
  const s = d.body.statement;
  const marks: Span[] = [d.body.claimant.span, ...d.body.event_types.map((e) => e.span)];
  for (const f of [d.body.accused, d.body.date, d.body.place, d.body.positions, ...(d.body.casualties ?? [])]) {
    if (f) marks.push(f.span);
  }
  // In order, each after the last one kept (a mark inside another is left to it).
  const inside: Span[] = [];
  for (const m of marks.filter((m) => m.end > m.start && m.start >= s.start && m.end <= s.end).sort((a, b) => a.start - b.start)) {
    if (!inside.length || m.start >= inside[inside.length - 1].end) inside.push(m);
  }
  // Offsets are bytes of the article's UTF-8 text.
  const bytes = new TextEncoder().encode(s.text);
  const dec = new TextDecoder();
  let at = 0;
  for (const m of inside) {
    q.append(dec.decode(bytes.slice(at, m.start - s.start)));
    q.append(el('mark', dec.decode(bytes.slice(m.start - s.start, m.end - s.start))));
    at = m.end - s.start;
  }
  q.append(dec.decode(bytes.slice(at)));
  return q;
}

function draftCard(d: Draft, sc: Scenario, reload: () => Promise<void>): HTMLElement {
  const types = new Map(sc.taxonomy.event_types.map((e) => [e.id, e.label]));
  const party = (p: string, name: string): string => named(sc.parties.find((x) => x.id === p)?.names) || name;
  const card = el('article', undefined, 'draft');
  card.dataset.draft = `${d.article.id}/${d.draft}`;
  const b = d.body;
  card.append(el('h3', `${party(b.claimant.value.party, b.claimant.value.name)}: ${b.event_types.map((e) => named(types.get(e.value)) || e.value).join(', ')}`));
  const facts = el('dl', undefined, 'facts');
  // Each value isolated, so a source name in one script and a date in another keep their order.
  const fact = (label: string, value: string): void => {
    const dd = el('dd');
    dd.append(el('bdi', value));
    facts.append(el('dt', label), dd);
  };
  if (b.polarity.value === 'denial') fact(t('drafts.polarity'), t('drafts.denial'));
  if (b.accused) fact(t('incident.accused'), party(b.accused.value.party, b.accused.value.name));
  if (b.date) fact(t('drafts.date'), fmtDate(b.date.value.date));
  // The place as the article names it; when the name fits several, the gazetteer's choices.
  if (b.place) fact(t('drafts.place'), b.place.value.ambiguous ? `${b.place.span.text} (${t('drafts.ambiguous')}: ${b.place.value.places.join(', ')})` : b.place.span.text);
  for (const c of b.casualties ?? []) {
    fact(t(`casualties.${c.value.kind}`), `${count(c.value.count)}${c.value.party ? ` · ${party(c.value.party, c.value.party)}` : ''}`);
  }
  if (b.positions) fact(t('drafts.positions'), count(b.positions.value));
  if (d.article.source) fact(t('drafts.source'), d.article.source);
  if (d.article.published) fact(t('drafts.published'), fmtDate(d.article.published));
  card.append(facts, statement(d));
  for (const w of b.warnings ?? []) {
    const p = el('p', w, 'warning');
    p.lang = 'en';
    card.append(p);
  }
  if (d.status !== 'pending') {
    card.append(el('p', d.status === 'accepted' ? t('drafts.accepted') : `${t('drafts.rejected')}: ${d.reason ?? ''}`, 'meta'));
    return card;
  }
  // Accept as one of its types (or another), or reject with a reason.
  const form = el('form', undefined, 'inline');
  const type = el('select');
  type.setAttribute('aria-label', t('drafts.as_type'));
  for (const e of sc.taxonomy.event_types) {
    const o = el('option', named(e.label));
    o.value = e.id;
    type.append(o);
  }
  // A denial is the speaker's statement, unless the monitor makes it the claim it answers.
  type.value = b.polarity.value === 'denial' ? 'statement' : (b.event_types[0]?.value ?? '');
  // Who claims and whom it accuses, among the scenario's parties: the draft's when it names
  // one, else the monitor's choice (an outlet or an unrecognised authority is no party).
  const partySelect = (label: string, value: string | undefined, none: boolean): HTMLSelectElement => {
    const s = el('select');
    s.setAttribute('aria-label', label);
    if (none) {
      const o = el('option', `${label}: ${t('submit.nobody')}`);
      o.value = '';
      s.append(o);
    } else if (!sc.parties.some((p) => p.id === value)) {
      const o = el('option', `${label}: ${t('submit.choose')}`);
      o.value = '';
      s.append(o);
    }
    for (const p of sc.parties) {
      const o = el('option', `${label}: ${named(p.names)}`);
      o.value = p.id;
      s.append(o);
    }
    s.value = sc.parties.some((p) => p.id === value) ? (value ?? '') : '';
    return s;
  };
  const claimant = partySelect(t('submit.claimant'), b.claimant.value.party, false);
  const accused = partySelect(t('incident.accused'), b.accused?.value.party, true);
  const day = el('input');
  day.type = 'date';
  day.value = b.date?.value.date ?? '';
  day.setAttribute('aria-label', t('drafts.date'));
  const accept = el('button', t('drafts.accept'));
  accept.type = 'submit';
  const reason = el('input');
  reason.placeholder = t('workspace.reason');
  reason.setAttribute('aria-label', t('workspace.reason'));
  // Enter in the reason rejects, as the reason is for that.
  reason.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      reject.click();
    }
  });
  const reject = el('button', t('drafts.reject'), 'secondary');
  reject.type = 'button';
  const error = el('span', '', 'field-error');
  error.setAttribute('role', 'alert');
  form.append(type, claimant, accused, day, accept, reason, reject, error);
  const refusal = (e: unknown): string => {
    const f = Object.entries(fieldErrors(e));
    return f.length ? f.map(([k, v]) => `${k}: ${v}`).join('; ') : message(e);
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    try {
      const corrections: Record<string, unknown> = { event_type: type.value, accused: accused.value || null };
      if (claimant.value) corrections.claimant = claimant.value;
      // Only a date the monitor changed: the draft's keeps its own precision.
      if (day.value && day.value !== (b.date?.value.date ?? '')) corrections.occurred = { from: day.value, precision: 'day' };
      await send('POST', `/api/v1/drafts/${d.article.id}/${d.draft}/accept`, { corrections });
      await reload();
    } catch (e) {
      error.textContent = refusal(e);
    }
  });
  reject.addEventListener('click', async () => {
    error.textContent = '';
    try {
      await send('POST', `/api/v1/drafts/${d.article.id}/${d.draft}/reject`, { reason: reason.value });
      await reload();
    } catch (e) {
      error.textContent = refusal(e);
    }
  });
  card.append(form);
  return card;
}

function readForm(reload: () => Promise<void>): HTMLElement {
  const box = el('details', undefined, 'read-article');
  box.append(el('summary', t('drafts.read_title')));
  const form = el('form', undefined, 'form');
  const text = el('textarea');
  text.rows = 8;
  text.dir = 'auto';
  const published = el('input');
  published.type = 'date';
  const lang = el('select');
  for (const l of ['auto', 'ar', 'ru', 'en']) {
    const o = el('option', l === 'auto' ? t('drafts.lang_auto') : t(`language.${l}`));
    o.value = l;
    lang.append(o);
  }
  const source = el('input');
  const url = el('input');
  url.type = 'url';
  const errors: Record<string, HTMLSpanElement> = {};
  for (const [name, label, input] of [
    ['text', t('drafts.text'), text],
    ['published', t('drafts.published'), published],
    ['lang', t('drafts.lang'), lang],
    ['source', t('drafts.source'), source],
    ['url', t('drafts.url'), url],
  ] as [string, string, HTMLElement][]) {
    const [l, e] = field(label, input, name);
    errors[name] = e;
    form.append(l);
  }
  const status = el('p', '', 'meta');
  status.setAttribute('role', 'status');
  const submit = el('button', t('drafts.read'));
  submit.type = 'submit';
  form.append(submit, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const e of Object.values(errors)) e.textContent = '';
    status.textContent = '';
    try {
      const done = await send<{ drafts: unknown[] }>('POST', '/api/v1/intake', {
        text: text.value,
        published: published.value || undefined,
        lang: lang.value,
        source: source.value || undefined,
        url: url.value || undefined,
      });
      status.textContent = t('drafts.read_done', { count: done.drafts.length });
      text.value = '';
      await reload();
    } catch (e) {
      const f = fieldErrors(e);
      for (const [k, v] of Object.entries(f)) (errors[k] ?? errors.text).textContent = v;
      if (!Object.keys(f).length) status.textContent = message(e);
    }
  });
  box.append(form);
  return box;
}

export async function renderDrafts(main: HTMLElement): Promise<void> {
  const sc = await scenario();
  const page = el('section', undefined, 'drafts');
  const queue = el('div', undefined, 'queue');
  const reload = async (): Promise<void> => {
    const q = await get<{ items: Draft[] }>('/api/v1/drafts');
    queue.replaceChildren();
    if (!q.items.length) {
      queue.append(el('p', t('drafts.empty'), 'meta'));
      return;
    }
    // One box per event: drafts of different articles about it together.
    const groups = new Map<number, Draft[]>();
    for (const d of q.items) groups.set(d.group, [...(groups.get(d.group) ?? []), d]);
    for (const members of groups.values()) {
      const box = el('div', undefined, members.length > 1 ? 'group several' : 'group');
      if (members.length > 1) box.append(el('p', t('drafts.same_event', { count: members.length }), 'meta'));
      const row = el('div', undefined, 'side-by-side');
      row.append(...members.map((d) => draftCard(d, sc, reload)));
      box.append(row);
      queue.append(box);
    }
  };
  page.append(el('h1', t('drafts.title')), el('p', t('drafts.intro'), 'meta'), readForm(reload), queue);
  main.append(page);
  await reload();
}
