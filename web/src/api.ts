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
