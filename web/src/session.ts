// The browser session: signing in gives an HttpOnly cookie (which scripts never see) and a
// CSRF token, kept for this tab in sessionStorage and sent with every write.
export interface User {
  name: string;
  org: string;
  role: 'monitor' | 'party' | 'mediator' | 'analyst' | 'admin';
}
interface Stored {
  user: User;
  csrf: string;
}

const KEY = 'truce.session';

export function current(): Stored | null {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Stored | null;
  } catch {
    return null;
  }
}

export function remember(user: User, csrf: string): void {
  sessionStorage.setItem(KEY, JSON.stringify({ user, csrf }));
}

export function forget(): void {
  sessionStorage.removeItem(KEY);
}

/// Whether the signed-in user may submit claims (the matrix's `claim.submit`).
export function maySubmit(): boolean {
  const r = current()?.user.role;
  return r === 'party' || r === 'monitor';
}
