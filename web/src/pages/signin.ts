// Signing in and out: a session cookie and its CSRF token (see ../session.ts).
import { message, send } from '../api';
import { t } from '../i18n';
import { forget, remember, type User } from '../session';

export async function renderSignIn(main: HTMLElement, done: () => void): Promise<void> {
  const form = document.createElement('form');
  form.className = 'form narrow';
  form.noValidate = true;
  const h = document.createElement('h1');
  h.textContent = t('signin.title');
  const field = (name: string, type: string, auto: AutoFill): HTMLInputElement => {
    const label = document.createElement('label');
    label.textContent = t(`signin.${name}`);
    const input = document.createElement('input');
    input.name = name;
    input.type = type;
    input.autocomplete = auto;
    input.required = true;
    label.append(input);
    form.append(label);
    return input;
  };
  form.append(h);
  const name = field('name', 'text', 'username');
  const password = field('password', 'password', 'current-password');
  const error = document.createElement('p');
  error.className = 'error';
  error.setAttribute('role', 'alert');
  const button = document.createElement('button');
  button.type = 'submit';
  button.textContent = t('signin.submit');
  form.append(error, button);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    try {
      const s = await send<{ user: User; csrf_token: string }>('POST', '/api/v1/session', {
        name: name.value,
        password: password.value,
      });
      remember(s.user, s.csrf_token);
      done();
      location.hash = '#/';
    } catch (e) {
      error.textContent = message(e);
    }
  });
  main.append(form);
  name.focus();
}

export async function signOut(done: () => void): Promise<void> {
  try {
    await send('DELETE', '/api/v1/session');
  } catch {
    // Signed out already (the session expired): forget it here too.
  }
  forget();
  done();
  location.hash = '#/';
}
