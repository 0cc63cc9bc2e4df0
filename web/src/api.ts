import { current } from './session';

// The server's JSON API, same origin only.
export interface Incident {
  id: string;
  state: string;
  public: boolean;
  occurred: { from: string; to: string };
  bbox?: [number, number, number, number] | null;
  event_types: string[];
  claimants: string[];
  accused: string[];
  claims: number;
  occurrence?: string | null;
  attribution?: string | null;
}

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

/// A write: JSON body, the session's CSRF token.
export async function send<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = current()?.csrf;
  if (csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, answer);
  return answer as T;
}

/// The field errors of a refused write: `{field: reason}`.
export function fieldErrors(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const fields = (e instanceof ApiError ? (e.body as { error?: { fields?: { field: string; reason: string }[] } })?.error?.fields : null) ?? [];
  for (const f of fields) out[f.field] = out[f.field] ? `${out[f.field]}; ${f.reason}` : f.reason;
  return out;
}

/// The message of a refused request.
export function message(e: unknown): string {
  if (e instanceof ApiError) {
    const m = (e.body as { error?: { message?: string } })?.error?.message;
    return m ?? e.message;
  }
  return (e as Error).message;
}

export async function get<T>(path: string, query: Record<string, string> = {}): Promise<T> {
  const q = new URLSearchParams(query).toString();
  const res = await fetch(q ? `${path}?${q}` : path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body);
  return body as T;
}

/// Every page of a list, up to `max` items.
export async function all<T>(path: string, query: Record<string, string>, max = 5000): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null | undefined;
  do {
    const page: Page<T> = await get(path, { ...query, limit: '500', ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && out.length < max);
  return out;
}
