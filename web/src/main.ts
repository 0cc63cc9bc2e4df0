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
import { renderLedger } from './pages/ledger';
import { current, maySubmit } from './session';

const main = document.getElementById('main') as HTMLElement;

function storedLang(): Lang {
  const saved = localStorage.getItem('truce.lang');
  return (LANGUAGES as readonly string[]).includes(saved ?? '') ? (saved as Lang) : 'en';
}

async function route(): Promise<void> {
  const [, page, arg] = location.hash.replace(/^#/, '').split('/');
  main.replaceChildren();
  main.setAttribute('aria-busy', 'true');
  try {
    if (page === 'incident' && arg) await renderIncident(main, arg);
    else if (page === 'sign-in') await renderSignIn(main, showUser);
    else if (page === 'submit' && maySubmit()) await renderSubmit(main);
    else if (page === 'workspace' && current()?.user.role === 'monitor') await renderWorkspace(main);
    else if (page === 'provisions') await renderProvisions(main);
    else if (page === 'ledger') await renderLedger(main);
    else await renderOverview(main, new URLSearchParams(location.hash.split('?')[1] ?? ''));
  } catch (e) {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = `${t('common.error')}: ${e instanceof Error ? e.message : String(e)}`;
    main.append(p);
  } finally {
    main.removeAttribute('aria-busy');
  }
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
}

async function showAgreement(): Promise<void> {
  const sc = await scenario();
  (document.getElementById('agreement') as HTMLElement).textContent = named(sc.title);
  document.title = `truce · ${named(sc.title)}`;
}

void start();
