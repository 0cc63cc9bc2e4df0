// leaflet.markercluster extends the global `L`: give it Leaflet's module before it loads
// (imported ahead of the plugin, so it runs first).
import L from 'leaflet';

(window as unknown as { L: typeof L }).L = L;
