// The offline map: Natural Earth country borders (npm world-atlas, served by truce itself),
// the scenario's zones (line of contact, corridor, districts) and observation posts.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import './leaflet-global';
import 'leaflet.markercluster';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countriesUrl from 'world-atlas/countries-50m.json?url';
import { named, t } from './i18n';
import type { Scenario } from './scenario';

/// Colours by verification state (also used by the list's chips).
export const STATE_COLOURS: Record<string, string> = {
  reported: '#6b7280',
  under_review: '#2563eb',
  access_denied: '#b45309',
  finding_proposed: '#7c3aed',
  endorsed: '#0f766e',
  published: '#15803d',
  disputed: '#dc2626',
  reopened: '#db2777',
  merged: '#9ca3af',
};

const ZONE_STYLES: Record<string, L.PathOptions> = {
  line_of_contact: { color: '#b91c1c', weight: 3 },
  corridor: { color: '#0369a1', weight: 2, fillOpacity: 0.15, dashArray: '6 4' },
  district: { color: '#64748b', weight: 1, fillOpacity: 0.04 },
  sector: { color: '#a16207', weight: 1, fillOpacity: 0.03, dashArray: '2 4' },
  buffer: { color: '#7c3aed', weight: 1, fillOpacity: 0.05 },
  area: { color: '#475569', weight: 1, fillOpacity: 0.03 },
};

/// A layer that clusters dense markers.
export function clusterLayer(): L.LayerGroup {
  return L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 40,
    iconCreateFunction: (c) =>
      L.divIcon({ html: `<span>${c.getChildCount()}</span>`, className: 'cluster', iconSize: L.point(32, 32) }),
  });
}

export async function createMap(el: HTMLElement, sc: Scenario): Promise<L.Map> {
  // Bounds on zoom: there are no tiles to set them, and clustering needs a maximum.
  const map = L.map(el, { preferCanvas: true, zoomSnap: 0.25, attributionControl: true, minZoom: 3, maxZoom: 15 });
  const b = sc.bbox;
  map.fitBounds([
    [b.min_lat, b.min_lon],
    [b.max_lat, b.max_lon],
  ]);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(t('map.attribution'));
  map.createPane('basemap').style.zIndex = '200';
  const topo = (await (await fetch(countriesUrl)).json()) as Topology;
  const countries = feature(topo, topo.objects.countries as GeometryCollection);
  L.geoJSON(countries, {
    pane: 'basemap',
    style: { color: '#94a3b8', weight: 1, fillColor: '#f1f5f9', fillOpacity: 1 },
    interactive: false,
  }).addTo(map);
  for (const z of sc.zones) {
    L.geoJSON(z.geometry as GeoJSON.GeometryObject, { style: ZONE_STYLES[z.kind] ?? ZONE_STYLES.area })
      .bindTooltip(named(z.names) + (z.illustrative ? ` (${t('map.illustrative')})` : ''))
      .addTo(map);
  }
  for (const p of sc.posts) {
    L.circleMarker([p.position[1], p.position[0]], { radius: 4, color: '#0f172a', weight: 1, fillColor: '#fde047', fillOpacity: 1 })
      .bindTooltip(named(p.names))
      .addTo(map);
  }
  return map;
}
