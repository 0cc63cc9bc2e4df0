// The ledger: the newest checkpoint, who cosigned it, the log's size over time, and how to
// check it yourself with `truce verify`.
import { get } from '../api';
import { line } from '../charts';
import { fmtDateTime, fmtNumber, t } from '../i18n';

interface Checkpoint {
  size: number;
  root: string;
  signed_at: string;
  note: string;
  cosigned_by?: string[];
  witnesses?: string[];
  quorum_met?: boolean;
}
interface LogInfo {
  origin: string;
  verifier_key: string;
  entries: number;
  checkpoint?: Checkpoint | null;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

export async function renderLedger(main: HTMLElement): Promise<void> {
  const [info, history] = await Promise.all([
    get<LogInfo>('/api/v1/log'),
    get<Checkpoint[]>('/api/v1/log/checkpoints', { limit: '100' }),
  ]);
  const page = el('section', undefined, 'ledger');
  page.append(el('h1', t('ledger.title')), el('p', t('ledger.intro'), 'meta'));
  const cp = info.checkpoint;
  const facts = el('dl', undefined, 'facts');
  const fact = (k: string, v: string, code = false): void => {
    const dd = el('dd', v);
    dd.dir = code ? 'ltr' : 'auto';
    facts.append(el('dt', t(k)), dd);
  };
  fact('ledger.entries', fmtNumber(info.entries));
  if (cp) {
    fact('ledger.size', fmtNumber(cp.size));
    fact('ledger.signed_at', `${fmtDateTime(cp.signed_at)} UTC`);
    fact('ledger.root', cp.root, true);
    const w = cp.witnesses ?? [];
    fact('ledger.cosigned', w.length ? `${(cp.cosigned_by ?? []).join(', ') || '—'} / ${w.join(', ')}` : t('ledger.no_witnesses'));
    if (w.length) fact('ledger.quorum', cp.quorum_met ? t('ledger.quorum_met') : t('ledger.quorum_not_met'));
  }
  page.append(facts);
  if (history.length > 1) {
    const ordered = [...history].reverse();
    page.append(line(t('ledger.growth'), ordered.map((c) => fmtDateTime(c.signed_at)), ordered.map((c) => c.size)));
  }
  page.append(el('h2', t('ledger.check_yourself')), el('p', t('ledger.check_how')));
  const cmd = el('pre', `truce verify --server ${location.origin} --key ${info.verifier_key}`, 'command');
  cmd.dir = 'ltr';
  page.append(cmd);
  if (cp) {
    page.append(el('h2', t('ledger.note')));
    const note = el('pre', cp.note, 'note');
    note.dir = 'ltr';
    page.append(note);
  }
  main.append(page);
}
