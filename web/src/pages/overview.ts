// Overview: the map with the incidents coloured by state, a list kept in step with the map,
// and filters held in the URL so a view can be shared.
import L from 'leaflet';
import { all, type Incident } from '../api';
import { fmtDate, named, t } from '../i18n';
import { createMap, STATE_COLOURS } from '../map';
import { scenario } from '../scenario';

export const STATES = Object.keys(STATE_COLOURS);

function centre(i: Incident): [number, number] | null {
  if (!i.bbox) return null;
  const [w, s, e, n] = i.bbox;
  return [(s + n) / 2, (w + e) / 2];
}

export async function renderOverview(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const sc = await scenario();
  const layout = document.createElement('div');
  layout.className = 'overview';
  const side = document.createElement('aside');
  side.className = 'side';
  const mapEl = document.createElement('div');
  mapEl.className = 'map';
  mapEl.setAttribute('role', 'region');
  mapEl.setAttribute('aria-label', t('overview.map'));
  layout.append(side, mapEl);
  main.append(layout);

  const heading = document.createElement('h1');
  heading.textContent = t('overview.title');
  const filter = document.createElement('label');
  filter.className = 'filter';
  const select = document.createElement('select');
  select.id = 'state-filter';
  for (const s of ['', ...STATES]) {
    const o = document.createElement('option');
    o.value = s;
    o.textContent = s ? t(`state.${s}`) : t('overview.all_states');
    select.append(o);
  }
  select.value = params.get('state') ?? '';
  filter.append(document.createTextNode(t('overview.state_filter')), select);
  const count = document.createElement('p');
  count.className = 'count';
  const list = document.createElement('ul');
  list.className = 'incidents';
  side.append(heading, filter, count, list);

  const query: Record<string, string> = {};
  if (select.value) query.state = select.value;
  const [map, incidents] = await Promise.all([createMap(mapEl, sc), all<Incident>('/api/v1/incidents', query)]);
  const types = new Map(sc.taxonomy.event_types.map((e) => [e.id, e.label]));
  const markers = L.layerGroup().addTo(map);
  for (const i of incidents) {
    const c = centre(i);
    if (!c) continue;
    L.circleMarker(c, { radius: 7, color: '#fff', weight: 1.5, fillColor: STATE_COLOURS[i.state] ?? '#334155', fillOpacity: 0.9 })
      .bindTooltip(`${t(`state.${i.state}`)} · ${i.event_types.map((e) => named(types.get(e))).join(', ')}`)
      .on('click', () => (location.hash = `#/incident/${i.id}`))
      .addTo(markers);
  }

  // The list shows the incidents in view, newest first.
  const refresh = (): void => {
    const bounds = map.getBounds();
    const visible = incidents.filter((i) => {
      const c = centre(i);
      return !c || bounds.contains(c);
    });
    count.textContent = t('overview.count', { shown: visible.length, total: incidents.length });
    list.replaceChildren(
      ...visible.map((i) => {
        const li = document.createElement('li');
        const a = document.createElement('a');
        a.href = `#/incident/${i.id}`;
        const chip = document.createElement('span');
        chip.className = 'chip';
        chip.style.background = STATE_COLOURS[i.state] ?? '#334155';
        chip.textContent = t(`state.${i.state}`);
        const what = document.createElement('span');
        what.className = 'what';
        what.textContent = i.event_types.map((e) => named(types.get(e))).join(', ');
        const meta = document.createElement('span');
        meta.className = 'meta';
        meta.textContent = `${fmtDate(i.occurred.from)} · ${i.claimants.join(' / ')} · ${t('incident.claims', { count: i.claims })}`;
        a.append(chip, what, meta);
        li.append(a);
        return li;
      }),
    );
    if (visible.length === 0) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = t('overview.empty');
      list.append(li);
    }
  };
  map.on('moveend', refresh);
  refresh();
  select.addEventListener('change', () => {
    location.hash = select.value ? `#/?state=${select.value}` : '#/';
  });
}
