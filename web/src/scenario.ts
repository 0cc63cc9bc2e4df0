// The scenario as the API serves it (the fields the UI reads).
import { get } from './api';

export interface Names {
  [lang: string]: string;
}
export interface Geometry {
  type: string;
  coordinates: unknown;
}
export interface Scenario {
  id: string;
  title: Names;
  effective_at: string;
  bbox: { min_lon: number; min_lat: number; max_lon: number; max_lat: number };
  parties: { id: string; names: Names; short?: Names }[];
  provisions: { id: string; number: number; kind: string; title: Names; deadlines: { id: string; what: Names; zone?: string | null }[] }[];
  zones: { id: string; kind: string; names: Names; geometry: Geometry; illustrative: boolean }[];
  posts: { id: string; kind: string; names: Names; position: [number, number]; illustrative: boolean }[];
  taxonomy: { event_types: { id: string; label: Names }[] };
}

let cached: Promise<Scenario> | null = null;

export function scenario(): Promise<Scenario> {
  cached ??= get<Scenario>('/api/v1/scenario');
  return cached;
}
