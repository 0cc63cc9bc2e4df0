// One incident: the parties' accounts side by side, the finding and the history.
import { fieldErrors, get, message, send } from '../api';
import { current } from '../session';
import { signers, verifyInclusion, type InclusionProof } from '../proof';
import { fmtDate, fmtDateTime, fmtNumber, lang, named, t } from '../i18n';
import { STATE_COLOURS } from '../map';
import { scenario, type Scenario } from '../scenario';
import { explain, type Because } from '../explain';

interface Account {
  claimant: string;
  /// Each claim, and whether matching placed it here (auto) with its score and why.
  claims: { claim: Record<string, unknown>; auto: boolean; score?: number; because?: Because[] }[];
}
interface Difference {
  by_claimant: Record<string, string | string[]>;
  differ: boolean;
  party?: string;
  category?: string;
}
interface Detail {
  id: string;
  state: string;
  version: number;
  differences?: Record<string, Difference | Difference[]>;
  endorsement?: { required: number; answers: { member: string; endorse: boolean; reasons: string }[] } | null;
  occurred?: { from: string; to: string };
  accounts: Account[];
  finding?: Record<string, unknown> | null;
  history?: { seq: number; kind: string; actor: string; at: string; proof: string }[];
  proposed?: Proposal[];
}

/// A matching score as the reader's language writes numbers.
const score = (s: number): string => fmtNumber(s, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

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

  // The accounts, one column per claimant. A monitor may pick several claims to split off.
  const total = d.accounts.reduce((n, acc) => n + acc.claims.length, 0);
  const picked = new Set<string>();
  const split = current()?.user.role === 'monitor' && total > 1 && d.state !== 'merged' ? splitForm(d, picked, total) : null;
  const cols = el('div', undefined, 'accounts');
  for (const a of d.accounts) {
    const col = el('article', undefined, 'account');
    col.append(el('h2', party(a.claimant)));
    for (const { claim, auto, score: placed, because } of a.claims) {
      const c = claim as {
        event_type?: string;
        accused?: string | null;
        occurred?: { from: string };
        narrative?: { text: string; lang: string };
        casualties?: { party: string; category: string; killed?: unknown; wounded?: unknown; captured?: unknown }[];
      };
      const card = el('div', undefined, 'claim');
      const claimId = (claim as { id?: string }).id;
      if (split && claimId) {
        const pick = el('label', undefined, 'pick');
        const box = el('input');
        box.type = 'checkbox';
        box.addEventListener('change', () => {
          if (box.checked) picked.add(claimId);
          else picked.delete(claimId);
          split.update();
        });
        pick.append(box, ` ${t('incident.pick')}`);
        card.append(pick);
      }
      card.append(el('p', named(types.get(c.event_type ?? '')), 'what'));
      if (c.accused) card.append(el('p', `${t('incident.accused')}: ${party(c.accused)}`, 'meta'));
      if (c.occurred) card.append(el('p', fmtDate(c.occurred.from), 'meta'));
      if (auto && placed !== undefined) {
        card.append(el('p', t('incident.placed', { score: score(placed), why: explain(because ?? [], sc) }), 'meta placed'));
      }
      for (const cas of c.casualties ?? []) {
        // A count is exact, or bounds: at least `min`, up to `max` if given.
        const n = (v: unknown): string => {
          if (typeof v === 'number') return fmtNumber(v);
          const { min, max } = (v ?? {}) as { min?: number; max?: number };
          return min === undefined ? '' : max === undefined ? `≥${fmtNumber(min)}` : `${fmtNumber(min)}–${fmtNumber(max)}`;
        };
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
      // A monitor may take a claim out into an incident of its own.
      if (split && claimId) card.append(detachForm(d, claimId));
      col.append(card);
    }
    cols.append(col);
  }
  page.append(el('h2', t('incident.accounts')), cols);
  if (split) page.append(split.form);

  // Where the accounts differ: one row per aspect, one column per claimant.
  const rows: [string, Difference, (v: string) => string][] = [];
  const plain = (v: string): string => v;
  // The server words each aspect in English; these put it in the reader's language.
  const given = (v: string, f: (v: string) => string): string => (v === 'not given' ? t('incident.not_given') : f(v));
  const shown: Record<string, (v: string) => string> = {
    event_type: (v) => named(types.get(v)) || v,
    accused: (v) => (v === 'nobody' ? t('incident.nobody') : sc.parties.some((p) => p.id === v) ? party(v) : v),
    // "FROM – TO (precision)".
    time: (v) => {
      const m = /^(\S+) – (\S+) \((\w+)\)$/.exec(v);
      return m ? `${fmtDateTime(m[1])} – ${fmtDateTime(m[2])} (${t(`precision.${m[3]}`)})` : v;
    },
    place: (v) => given(v, (x) => x),
    // "killed 3, wounded ≥14".
    casualties: (v) =>
      given(v, (x) =>
        new Intl.ListFormat(lang(), { style: 'narrow', type: 'unit' }).format(
          x.split(', ').map((part) => part.replace(/^(killed|wounded|captured|missing) /, (_, k: string) => `${t(`casualties.${k}`)} `)),
        ),
      ),
  };
  for (const [aspect, v] of Object.entries(d.differences ?? {})) {
    for (const diff of Array.isArray(v) ? v : [v]) {
      const label = diff.party ? `${t('incident.aspect.casualties')} · ${party(diff.party)} (${t(`category.${diff.category ?? 'military'}`)})` : t(`incident.aspect.${aspect}`);
      rows.push([label, diff, shown[aspect] ?? plain]);
    }
  }
  if (rows.length) {
    const claimants = d.accounts.map((a) => a.claimant);
    const table = el('table', undefined, 'differences');
    const head = el('tr');
    head.append(el('th', t('incident.aspect.title')), ...claimants.map((c) => el('th', party(c))));
    table.append(head);
    for (const [label, diff, show] of rows) {
      const tr = el('tr', undefined, diff.differ ? 'differ' : '');
      tr.append(el('th', label));
      for (const c of claimants) {
        const v = diff.by_claimant[c];
        const td = el('td', Array.isArray(v) ? v.map(show).join('; ') : (v ?? '—'));
        td.dir = 'auto';
        tr.append(td);
      }
      table.append(tr);
    }
    page.append(el('h2', t('incident.differences')), table);
  }
  if (d.finding) {
    const f = d.finding as {
      occurrence?: string;
      rationale?: string;
      intent?: string;
      attribution?: { kind: string; party?: string; confidence?: string };
      provisions_breached?: string[];
      evidence?: { claim?: string; report?: string; record?: string }[];
    };
    page.append(el('h2', t('incident.finding')));
    const box = el('div', undefined, 'finding');
    box.append(el('p', t(`occurrence.${f.occurrence ?? 'not_verified'}`), 'what'));
    // Who is held responsible, for which provisions, with what intent, on what evidence.
    const facts = el('dl', undefined, 'facts');
    const fact = (label: string, value: string): void => {
      if (value) facts.append(el('dt', label), el('dd', value));
    };
    const a = f.attribution;
    if (a) {
      fact(
        t('workspace.attribution'),
        a.kind === 'party' && a.party ? `${party(a.party)}${a.confidence ? ` (${t(`workspace.confidence_${a.confidence}`)})` : ''}` : t(`workspace.${a.kind}`),
      );
    }
    fact(
      t('workspace.breached'),
      (f.provisions_breached ?? []).map((id) => {
        const p = sc.provisions.find((x) => x.id === id);
        return p ? `${p.number}. ${named(p.title)}` : id;
      }).join('; '),
    );
    if (f.intent) fact(t('workspace.intent'), t(`workspace.intent_${f.intent}`));
    fact(
      t('incident.evidence'),
      (f.evidence ?? [])
        .map((e) => (e.claim ? t('incident.evidence_claim', { id: e.claim }) : e.record ? t('incident.evidence_record', { id: e.record }) : (e.report ?? '')))
        .join('; '),
    );
    box.append(facts);
    const why = el('blockquote', f.rationale ?? '');
    why.dir = 'auto';
    box.append(why);
    page.append(box);
  }
  if (d.endorsement?.answers?.length) {
    const list = el('ul', undefined, 'endorsements');
    for (const a of d.endorsement.answers) {
      list.append(el('li', `${a.member}: ${a.endorse ? t('incident.endorses') : t('incident.dissents')}${a.reasons ? ` — ${a.reasons}` : ''}`));
    }
    page.append(el('h3', t('incident.endorsements')), list);
  }

  // Every entry of the incident's history, each with its proof of inclusion in the ledger.
  if (d.history?.length) {
    const list = el('ol', undefined, 'history');
    for (const h of d.history) {
      const li = el('li');
      li.append(el('span', `${fmtDate(h.at)} · ${t(`entry.${h.kind.replace('.', '_')}`, { defaultValue: h.kind })} · ${h.actor} · #${h.seq} `));
      // Checked here on demand: in which checkpoint, cosigned by whom, and that the proof holds.
      const proof = el('button', t('incident.proof'), 'link');
      proof.type = 'button';
      const result = el('span', '', 'proof-result');
      result.setAttribute('aria-live', 'polite');
      proof.addEventListener('click', async () => {
        try {
          const p = await get<InclusionProof>(h.proof);
          const ok = await verifyInclusion(p);
          const who = signers(p.checkpoint);
          result.textContent = ` ${t('incident.in_checkpoint', { size: p.size, signers: who.join(', ') })} · ${ok === null ? t('incident.proof_unchecked') : ok ? t('incident.proof_ok') : t('incident.proof_bad')}`;
          result.className = `proof-result ${ok === false ? 'bad' : 'good'}`;
        } catch (e) {
          result.textContent = ` ${message(e)}`;
        }
      });
      li.append(proof, result);
      list.append(li);
    }
    page.append(el('h2', t('incident.history')), list);
  }
  if (current()?.user.role === 'monitor') {
    const p = proposals(d, sc);
    if (p) page.append(p);
  }
  if (current()?.user.role === 'monitor') page.append(actions(d, sc.provisions.map((p) => [p.id, `${p.number}. ${named(p.title)}`]), party, sc.parties.map((p) => p.id)));
  main.append(page);
}

/// Why a write was refused, in one line: every field and reason, or the message.
function refusal(e: unknown): string {
  const errors = Object.entries(fieldErrors(e));
  return errors.length ? errors.map(([f, w]) => `${f}: ${w}`).join('; ') : message(e);
}

/// Split the picked claims off into a new incident, with a reason; then show that incident.
/// The button says how many are picked and waits for some, but not all, of them.
function splitForm(d: Detail, picked: Set<string>, total: number): { form: HTMLFormElement; update: () => void } {
  const form = el('form', undefined, 'inline split');
  const reason = el('input');
  reason.setAttribute('aria-label', t('workspace.reason'));
  reason.placeholder = t('workspace.reason');
  const button = el('button');
  button.type = 'submit';
  const error = el('span', '', 'field-error');
  error.setAttribute('aria-live', 'polite');
  form.append(reason, button, error);
  const update = (): void => {
    button.textContent = picked.size ? t('incident.split', { count: picked.size }) : t('incident.split_pick');
    button.disabled = picked.size === 0 || picked.size === total;
    error.textContent = picked.size === total ? t('incident.split_not_all') : '';
  };
  update();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    try {
      const created = await send<{ id: string }>('POST', `/api/v1/incidents/${d.id}/split`, { claims: [...picked], reason: reason.value, version: d.version });
      location.hash = `#/incident/${created.id}`;
    } catch (e) {
      error.textContent = refusal(e);
    }
  });
  return { form, update };
}

/// Detach one claim into a new incident, with a reason; then show that incident.
function detachForm(d: Detail, claim: string): HTMLFormElement {
  const form = el('form', undefined, 'inline detach');
  const reason = el('input');
  reason.setAttribute('aria-label', t('workspace.reason'));
  reason.placeholder = t('workspace.reason');
  const button = el('button', t('workspace.detach'));
  button.type = 'submit';
  const error = el('span', '', 'field-error');
  form.append(reason, button, error);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    try {
      const created = await send<{ id: string }>('POST', `/api/v1/incidents/${d.id}/claims/${claim}/detach`, { reason: reason.value, version: d.version });
      location.hash = `#/incident/${created.id}`;
    } catch (e) {
      error.textContent = refusal(e);
    }
  });
  return form;
}

interface Proposal {
  incident: string;
  /// The claim of this incident that matching scored against it.
  claim: string;
  score: number;
  because: Because[];
}

/// What matching proposed when it placed this incident's claims: other incidents that may be
/// the same event, each with its score and why; a monitor may merge this one into it.
function proposals(d: Detail, sc: Scenario): HTMLElement | null {
  const found = d.proposed ?? [];
  if (!found.length || d.state === 'merged') return null;
  const box = el('section', undefined, 'proposals');
  box.append(el('h2', t('workspace.proposals')), el('p', t('workspace.proposals_intro'), 'meta'));
  const list = el('ul', undefined, 'rows');
  for (const c of found) {
    const li = el('li', undefined, 'proposal');
    const link = el('a', `${t('incident.title')} ${c.incident.slice(-6)}`);
    link.href = `#/incident/${c.incident}`;
    const grade = el('span', ` · ${t('workspace.score')} ${score(c.score)} · `);
    const why = el('span', explain(c.because, sc));
    const form = el('form', undefined, 'inline');
    const reason = el('input');
    reason.setAttribute('aria-label', t('workspace.reason'));
    reason.placeholder = t('workspace.reason');
    const merge = el('button', t('workspace.merge_into'));
    merge.type = 'submit';
    // Or move only the claim matching placed here into the proposed incident.
    const move = el('button', t('workspace.attach_there'), 'secondary');
    move.type = 'button';
    const error = el('span', '', 'field-error');
    // The only claim of an incident is not moved: the incident is merged instead.
    const claims = d.accounts.reduce((n, a) => n + a.claims.length, 0);
    form.append(reason, merge, ...(claims > 1 ? [move] : []), error);
    move.addEventListener('click', async () => {
      error.textContent = '';
      try {
        const target = await get<{ version: number }>(`/api/v1/incidents/${encodeURIComponent(c.incident)}`);
        await send('POST', `/api/v1/incidents/${c.incident}/claims`, { claim: c.claim, reason: reason.value, version: target.version });
        location.hash = `#/incident/${c.incident}`;
      } catch (e) {
        error.textContent = refusal(e);
      }
    });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      error.textContent = '';
      try {
        await send('POST', `/api/v1/incidents/${d.id}/merge`, { into: c.incident, reason: reason.value, version: d.version });
        location.hash = `#/incident/${c.incident}`;
      } catch (e) {
        error.textContent = refusal(e);
      }
    });
    li.append(link, grade, why, form);
    list.append(li);
  }
  box.append(list);
  return box;
}

/// The monitors' next steps for this incident, as its state allows.
function actions(d: Detail, provisions: [string, string][], party: (p: string) => string, parties: string[]): HTMLElement {
  const box = el('section', undefined, 'actions');
  box.append(el('h2', t('workspace.actions')));
  const form = el('form', undefined, 'form');
  form.noValidate = true;
  const error = el('p', '', 'error');
  error.setAttribute('role', 'alert');
  const field = (name: string, label: string, input: HTMLElement): HTMLElement => {
    const l = el('label');
    l.dataset.field = name;
    l.append(el('span', label), input, el('span', '', 'field-error'));
    form.append(l);
    return input;
  };
  const choose = (name: string, label: string, options: [string, string][]): HTMLSelectElement => {
    const s = el('select');
    for (const [v, text] of options) {
      const o = el('option', text);
      o.value = v;
      s.append(o);
    }
    field(name, label, s);
    return s;
  };
  const reason = el('textarea');
  reason.rows = 2;
  let body: () => Record<string, unknown>;
  let path = `/api/v1/incidents/${d.id}/verification`;
  const next: Record<string, string> = { reported: 'under_review', reopened: 'under_review', endorsed: 'published' };
  if (d.state === 'under_review' || d.state === 'access_denied' || d.state === 'reopened') {
    const occurrence = choose('finding.occurrence', t('workspace.occurrence'), ['verified', 'probable', 'not_verified', 'unfounded'].map((o) => [o, t(`occurrence.${o}`)]));
    const attribution = choose('finding.attribution', t('workspace.attribution'), [
      ...parties.map((p): [string, string] => [p, party(p)]),
      ['shared', t('workspace.shared')],
      ['not_attributable', t('workspace.not_attributable')],
      ['not_assessed', t('workspace.not_assessed')],
    ]);
    const confidence = choose('finding.attribution.confidence', t('workspace.confidence'), ['high', 'moderate', 'low'].map((c) => [c, t(`workspace.confidence_${c}`)]));
    const intent = choose('finding.intent', t('workspace.intent'), ['deliberate', 'accidental', 'unknown'].map((c) => [c, t(`workspace.intent_${c}`)]));
    const breached = choose('finding.provisions_breached', t('workspace.breached'), [['', t('submit.nobody')], ...provisions]);
    const evidence = el('input');
    field('finding.evidence', t('workspace.evidence'), evidence);
    const rationale = el('textarea');
    rationale.rows = 3;
    field('finding.rationale', t('workspace.rationale'), rationale);
    field('reason', t('workspace.reason'), reason);
    body = () => ({
      to: 'finding_proposed',
      reason: reason.value,
      version: d.version,
      finding: {
        occurrence: occurrence.value,
        attribution: parties.includes(attribution.value) ? { kind: 'party', party: attribution.value, confidence: confidence.value } : { kind: attribution.value },
        provisions_breached: breached.value ? [breached.value] : [],
        intent: intent.value,
        evidence: evidence.value ? [{ report: evidence.value }] : [],
        rationale: rationale.value,
      },
    });
  } else if (d.state === 'finding_proposed') {
    path = `/api/v1/incidents/${d.id}/endorsements`;
    const endorse = choose('endorse', t('workspace.endorse'), [['true', t('incident.endorses')], ['false', t('incident.dissents')]]);
    field('reasons', t('workspace.reason'), reason);
    body = () => ({ endorse: endorse.value === 'true', reasons: reason.value, version: d.version });
  } else if (next[d.state]) {
    field('reason', t('workspace.reason'), reason);
    body = () => ({ to: next[d.state], reason: reason.value, version: d.version });
  } else {
    box.append(el('p', t('workspace.nothing'), 'meta'));
    return box;
  }
  const submit = el('button', t(`workspace.do_${d.state}`));
  submit.type = 'submit';
  form.append(error, submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const e of form.querySelectorAll<HTMLElement>('.field-error')) e.textContent = '';
    error.textContent = '';
    try {
      await send('POST', path, body());
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      const errors = fieldErrors(e);
      const unplaced: string[] = [];
      for (const [f, why] of Object.entries(errors)) {
        const slot = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(f)}"] .field-error`);
        if (slot) slot.textContent = why;
        else unplaced.push(`${f}: ${why}`);
      }
      error.textContent = unplaced.length ? unplaced.join('; ') : Object.keys(errors).length ? '' : message(e);
    }
  });
  box.append(form);
  return box;
}
