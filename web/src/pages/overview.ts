// Overview: the map with the incidents in view coloured by state, a list kept in step with
// the map, filters (state, type, party, provision breached, dates) held in the URL so a view
// can be shared, and under the map a timeline of incidents per week to drag dates across.
// Incidents are read for the map's bounds as it moves, so the page stays light whatever the
// size of the record.
import L from 'leaflet';
import { get, type Incident, type Page } from '../api';
import { weekBrush } from '../brush';
import { named, t } from '../i18n';
import { incidentItem, select } from '../dom';
import { clusterLayer, createMap, STATE_COLOURS } from '../map';
import { scenario } from '../scenario';

export const STATES = Object.keys(STATE_COLOURS);
/// The filters kept in the URL, as the incident list takes them.
const FILTERS = ['state', 'type', 'claimant', 'provision', 'from', 'to'];
/// Most incidents drawn at once: the newest in view.
const IN_VIEW = 500;

function centre(i: Incident): [number, number] | null {
  if (!i.bbox) return null;
  const [w, s, e, n] = i.bbox;
  return [(s + n) / 2, (w + e) / 2];
}

function control(label: string, input: HTMLElement): HTMLLabelElement {
  const l = document.createElement('label');
  l.append(document.createTextNode(label), input);
  return l;
}

function choice(id: string, options: [string, string][], value: string): HTMLSelectElement {
  const s = select(options, value);
  s.id = id;
  return s;
}

export async function renderOverview(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const sc = await scenario();
  const types = new Map(sc.taxonomy.event_types.map((e) => [e.id, e.label]));
  const layout = document.createElement('div');
  layout.className = 'overview';
  const side = document.createElement('aside');
  side.className = 'side';
  const mapEl = document.createElement('div');
  mapEl.className = 'map';
  mapEl.setAttribute('role', 'region');
  mapEl.setAttribute('aria-label', t('overview.map'));
  const timeline = document.createElement('section');
  timeline.className = 'timeline';
  const timelineHeading = document.createElement('h2');
  timelineHeading.textContent = t('overview.timeline_title');
  timeline.append(timelineHeading);
  const view = document.createElement('div');
  view.className = 'view';
  view.append(mapEl, timeline);
  layout.append(side, view);
  main.append(layout);

  const heading = document.createElement('h1');
  heading.textContent = t('overview.title');
  const all = t('overview.all');
  const state = choice('state-filter', [['', t('overview.all_states')], ...STATES.map((s): [string, string] => [s, t(`state.${s}`)])], params.get('state') ?? '');
  const type = choice('type-filter', [['', all], ...sc.taxonomy.event_types.map((e): [string, string] => [e.id, named(e.label)])], params.get('type') ?? '');
  const party = choice('party-filter', [['', all], ...sc.parties.map((p): [string, string] => [p.id, named(p.names)])], params.get('claimant') ?? '');
  const provision = choice('provision-filter', [['', all], ...sc.provisions.map((p): [string, string] => [p.id, `${p.number}. ${named(p.title)}`])], params.get('provision') ?? '');
  const from = document.createElement('input');
  from.type = 'date';
  from.value = params.get('from') ?? '';
  const to = document.createElement('input');
  to.type = 'date';
  to.value = params.get('to') ?? '';
  const filters = document.createElement('div');
  filters.className = 'filters';
  filters.append(
    control(t('overview.state_filter'), state),
    control(t('overview.type_filter'), type),
    control(t('overview.party_filter'), party),
    control(t('overview.provision_filter'), provision),
    control(t('overview.from'), from),
    control(t('overview.to'), to),
  );
  const count = document.createElement('p');
  count.className = 'count';
  count.setAttribute('role', 'status');
  const list = document.createElement('ul');
  list.className = 'incidents';
  side.append(heading, filters, count, list);

  // Filters go into the URL; the page reads them back from there.
  const apply = (): void => {
    const q = new URLSearchParams();
    if (state.value) q.set('state', state.value);
    if (type.value) q.set('type', type.value);
    if (party.value) q.set('claimant', party.value);
    if (provision.value) q.set('provision', provision.value);
    if (from.value) q.set('from', from.value);
    if (to.value) q.set('to', to.value);
    const s = q.toString();
    location.hash = s ? `#/?${s}` : '#/';
  };
  for (const c of [state, type, party, provision, from, to]) c.addEventListener('change', apply);

  // The timeline counts what the other filters find, over all time: its range is the dates.
  const around: Record<string, string> = {};
  for (const k of FILTERS.filter((k) => k !== 'from' && k !== 'to')) {
    const v = params.get(k);
    if (v) around[k] = v;
  }
  const counted = get<{ week: string; count: number }[]>('/api/v1/incidents/weeks', around).then((weeks) =>
    timeline.append(
      weekBrush(weeks, from.value, to.value, (a, b) => {
        from.value = a;
        to.value = b;
        apply();
      }),
    ),
  );

  const map = await createMap(mapEl, sc);
  const markers = clusterLayer().addTo(map);
  let asked = 0;
  const load = async (): Promise<void> => {
    const mine = ++asked;
    const b = map.getBounds();
    const clamp = (v: number, m: number): string => Math.max(-m, Math.min(m, v)).toFixed(4);
    const query: Record<string, string> = {
      bbox: [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(','),
      limit: String(IN_VIEW),
    };
    for (const k of FILTERS) {
      const v = params.get(k);
      if (v) query[k] = v;
    }
    const page = await get<Page<Incident>>('/api/v1/incidents', query);
    if (mine !== asked) return; // a newer view was asked for meanwhile
    markers.clearLayers();
    for (const i of page.items) {
      const c = centre(i);
      if (!c) continue;
      L.circleMarker(c, { radius: 7, color: '#fff', weight: 1.5, fillColor: STATE_COLOURS[i.state] ?? '#334155', fillOpacity: 0.9 })
        .bindTooltip(`${t(`state.${i.state}`)} · ${i.event_types.map((e) => named(types.get(e))).join(', ')}`)
        .on('click', () => (location.hash = `#/incident/${i.id}`))
        .addTo(markers);
    }
    count.textContent = page.next_cursor ? t('overview.newest', { count: page.items.length }) : t('overview.in_view', { count: page.items.length });
    list.replaceChildren(...page.items.map((i) => incidentItem(i, types)));
    if (page.items.length === 0) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = t('overview.empty');
      list.append(li);
    }
  };
  let timer: number | undefined;
  map.on('moveend', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void load(), 150);
  });
  await Promise.all([load(), counted]);
}
