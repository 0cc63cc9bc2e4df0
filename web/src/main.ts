// The truce web UI: a hash router over the pages, the language switcher.
import '@fontsource/noto-sans/400.css';
import '@fontsource/noto-sans/700.css';
import '@fontsource/noto-sans-arabic/400.css';
import '@fontsource/noto-sans-arabic/700.css';
import '@fontsource/noto-sans-armenian/400.css';
import '@fontsource/noto-sans-armenian/700.css';
import './style.css';
import { LANGUAGES, initI18n, setLanguage, t, named, type Lang } from './i18n';
import { scenario } from './scenario';
import { renderOverview } from './pages/overview';
import { renderIncident } from './pages/incident';
import { renderProvisions } from './pages/provisions';
import { renderSignIn, signOut } from './pages/signin';
import { renderSubmit } from './pages/submit';
import { renderWorkspace } from './pages/workspace';
import { renderDrafts } from './pages/drafts';
import { renderLedger } from './pages/ledger';
import { current, maySubmit } from './session';

const main = document.getElementById('main') as HTMLElement;

function storedLang(): Lang {
  const saved = localStorage.getItem('truce.lang');
  return (LANGUAGES as readonly string[]).includes(saved ?? '') ? (saved as Lang) : 'en';
}

let visits = 0;

async function route(): Promise<void> {
  const mine = ++visits;
  const [, page, arg] = location.hash.replace(/^#/, '').split('/');
  // Each visit renders into a part of its own: one overtaken by a newer visit while it still
  // loads (a language chosen meanwhile, a quick click) is never shown beside the newer one.
  const view = document.createElement('div');
  view.className = 'route';
  main.replaceChildren(view);
  main.setAttribute('aria-busy', 'true');
  try {
    if (page === 'incident' && arg) await renderIncident(view, arg);
    else if (page === 'sign-in') await renderSignIn(view, showUser);
    else if (page === 'submit' && maySubmit()) await renderSubmit(view);
    else if (page === 'workspace' && current()?.user.role === 'monitor') await renderWorkspace(view);
    else if (page === 'drafts' && current()?.user.role === 'monitor') await renderDrafts(view);
    else if (page === 'provisions') await renderProvisions(view);
    else if (page === 'ledger') await renderLedger(view);
    else await renderOverview(view, new URLSearchParams(location.hash.split('?')[1] ?? ''));
  } catch (e) {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = `${t('common.error')}: ${e instanceof Error ? e.message : String(e)}`;
    view.append(p);
  }
  if (mine !== visits) return;
  main.removeAttribute('aria-busy');
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav a')) {
    a.toggleAttribute('aria-current', a.getAttribute('href') === `#/${page ?? ''}`);
  }
}

async function start(): Promise<void> {
  await initI18n(storedLang());
  const select = document.getElementById('lang') as HTMLSelectElement;
  for (const l of LANGUAGES) {
    const o = document.createElement('option');
    o.value = l;
    o.textContent = t(`language.${l}`);
    select.append(o);
  }
  select.value = storedLang();
  select.addEventListener('change', async () => {
    localStorage.setItem('truce.lang', select.value);
    await setLanguage(select.value as Lang);
    for (const o of select.options) o.textContent = t(`language.${o.value}`);
    showUser();
    await showAgreement();
    await route();
  });
  window.addEventListener('hashchange', () => void route());
  (document.getElementById('sign-out') as HTMLButtonElement).addEventListener('click', () => void signOut(showUser));
  showUser();
  await showAgreement();
  await route();
}

/// The header's account part: who is signed in, and what they may do.
function showUser(): void {
  const s = current();
  (document.getElementById('who') as HTMLElement).textContent = s ? `${s.user.name} · ${t(`role.${s.user.role}`)}` : '';
  (document.getElementById('sign-in') as HTMLElement).hidden = s !== null;
  (document.getElementById('sign-out') as HTMLElement).hidden = s === null;
  (document.getElementById('nav-submit') as HTMLElement).hidden = !maySubmit();
  (document.getElementById('nav-workspace') as HTMLElement).hidden = s?.user.role !== 'monitor';
  (document.getElementById('nav-drafts') as HTMLElement).hidden = s?.user.role !== 'monitor';
}

async function showAgreement(): Promise<void> {
  const sc = await scenario();
  const agreement = document.getElementById('agreement') as HTMLElement;
  agreement.textContent = named(sc.title);
  agreement.title = named(sc.title);
  document.title = `truce · ${named(sc.title)}`;
}

void start();
