// Submitting a claim: the place found in the gazetteer (any script) or picked on the map, the
// time with its precision, casualties per party and category. The server's field errors
// appear beside their fields, and what was typed stays.
import L from 'leaflet';
import { fieldErrors, get, message, send } from '../api';
import { named, t } from '../i18n';
import { createMap } from '../map';
import { select } from '../dom';
import { scenario, type Names } from '../scenario';
import { current } from '../session';

const SOURCE_KINDS = ['party_report', 'monitor_report', 'official_statement', 'media', 'social_media', 'witness', 'other'];
const PRECISIONS = ['exact', 'hour', 'day', 'week', 'month'];
const CATEGORIES = ['military', 'civilian'];
const LANGS = ['en', 'ar', 'ru', 'hy', 'az'];

interface PlaceMatch {
  place: { id: string; names: Names; lat: number; lon: number };
  matched: string;
}

function labelled(field: string, text: string, input: HTMLElement): HTMLLabelElement {
  const label = document.createElement('label');
  label.dataset.field = field;
  const span = document.createElement('span');
  span.textContent = text;
  const err = document.createElement('span');
  err.className = 'field-error';
  err.setAttribute('aria-live', 'polite');
  label.append(span, input, err);
  return label;
}

function input(type = 'text'): HTMLInputElement {
  const i = document.createElement('input');
  i.type = type;
  return i;
}

export async function renderSubmit(main: HTMLElement): Promise<void> {
  const sc = await scenario();
  const me = current()?.user;
  const page = document.createElement('section');
  page.className = 'submit';
  const h = document.createElement('h1');
  h.textContent = t('submit.title');
  const form = document.createElement('form');
  form.className = 'form';
  form.noValidate = true;
  page.append(h, form);
  main.append(page);

  const parties: [string, string][] = sc.parties.map((p) => [p.id, named(p.names)]);
  const claimant = select(parties, me?.role === 'party' ? me.org : parties[0]?.[0]);
  claimant.disabled = me?.role === 'party';
  const accused = select([['', t('submit.nobody')], ...parties], '');
  const kind = select(SOURCE_KINDS.map((k) => [k, t(`source.${k}`)]), 'party_report');
  const sourceName = input();
  const type = select([['', t('submit.choose')], ...sc.taxonomy.event_types.map((e): [string, string] => [e.id, named(e.label)])]);
  const from = input('datetime-local');
  const precision = select(PRECISIONS.map((p) => [p, t(`precision.${p}`)]), 'day');
  const place = input('search');
  place.setAttribute('list', 'place-options');
  place.autocomplete = 'off';
  const options = document.createElement('datalist');
  options.id = 'place-options';
  const point = input();
  point.readOnly = true;
  point.placeholder = t('submit.pick_on_map');
  const text = document.createElement('textarea');
  text.rows = 5;
  const lang = select(LANGS.map((l) => [l, t(`language.${l}`)]), 'en');
  const casualties = document.createElement('fieldset');
  casualties.dataset.field = 'casualties';
  const legend = document.createElement('legend');
  legend.textContent = t('submit.casualties');
  casualties.append(legend);
  const rows: { party: HTMLSelectElement; category: HTMLSelectElement; killed: HTMLInputElement; wounded: HTMLInputElement; captured: HTMLInputElement }[] = [];
  const addRow = (): void => {
    const i = rows.length;
    const row = document.createElement('div');
    row.className = 'row';
    row.dataset.field = `casualties[${i}]`;
    const r = {
      party: select(parties, parties[0]?.[0]),
      category: select(CATEGORIES.map((c) => [c, t(`category.${c}`)]), 'military'),
      killed: input('number'),
      wounded: input('number'),
      captured: input('number'),
    };
    for (const n of [r.killed, r.wounded, r.captured]) n.min = '0';
    row.append(
      labelled(`casualties[${i}].party`, t('submit.party'), r.party),
      labelled(`casualties[${i}].category`, t('submit.category'), r.category),
      labelled(`casualties[${i}].killed`, t('casualties.killed'), r.killed),
      labelled(`casualties[${i}].wounded`, t('casualties.wounded'), r.wounded),
      labelled(`casualties[${i}].captured`, t('casualties.captured'), r.captured),
    );
    rows.push(r);
    casualties.insertBefore(row, more);
  };
  const more = document.createElement('button');
  more.type = 'button';
  more.textContent = t('submit.add_casualties');
  more.addEventListener('click', addRow);
  casualties.append(more);

  const mapEl = document.createElement('div');
  mapEl.className = 'pick-map';
  mapEl.setAttribute('role', 'region');
  mapEl.setAttribute('aria-label', t('submit.pick_on_map'));
  const status = document.createElement('p');
  status.setAttribute('role', 'status');
  const formError = document.createElement('p');
  formError.className = 'error';
  formError.setAttribute('role', 'alert');
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.textContent = t('submit.send');

  form.append(
    labelled('claimant', t('submit.claimant'), claimant),
    labelled('accused', t('incident.accused'), accused),
    labelled('event_type', t('submit.event_type'), type),
    labelled('source.kind', t('submit.source_kind'), kind),
    labelled('source.name', t('submit.source_name'), sourceName),
    labelled('occurred.from', t('incident.occurred'), from),
    labelled('occurred.precision', t('submit.precision'), precision),
    labelled('location.place', t('submit.place'), place),
    labelled('location.geometry', t('submit.point'), point),
    options,
    mapEl,
    casualties,
    labelled('narrative.lang', t('submit.narrative_lang'), lang),
    labelled('narrative.text', t('submit.narrative'), text),
    formError,
    submit,
    status,
  );

  // The gazetteer, searched as one types, in any script.
  let found: PlaceMatch[] = [];
  place.addEventListener('input', async () => {
    const q = place.value.trim();
    if (q.length < 2) return;
    const answer = await get<{ items: PlaceMatch[] }>('/api/v1/places', { q, limit: '8' }).catch(() => ({ items: [] }));
    found = answer.items;
    options.replaceChildren(
      ...found.map((m) => {
        const o = document.createElement('option');
        o.value = named(m.place.names);
        o.label = m.matched;
        return o;
      }),
    );
  });
  const map = await createMap(mapEl, sc);
  let marker: L.CircleMarker | null = null;
  let picked: [number, number] | null = null;
  map.on('click', (ev: L.LeafletMouseEvent) => {
    picked = [Number(ev.latlng.lng.toFixed(5)), Number(ev.latlng.lat.toFixed(5))];
    point.value = `${picked[1]}, ${picked[0]}`;
    marker?.remove();
    marker = L.circleMarker(ev.latlng, { radius: 7, color: '#1d4ed8' }).addTo(map);
  });

  const show = (errors: Record<string, string>): void => {
    for (const el of form.querySelectorAll<HTMLElement>('.field-error')) el.textContent = '';
    for (const el of form.querySelectorAll<HTMLElement>('[aria-invalid]')) el.removeAttribute('aria-invalid');
    const unplaced: string[] = [];
    for (const [field, reason] of Object.entries(errors)) {
      // The closest field shown: `casualties[0].killed`, else `casualties[0]`, else `casualties`.
      let key = field;
      let target: HTMLElement | null = null;
      while (key && !(target = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(key)}"]`))) {
        key = key.includes('.') || key.includes('[') ? key.replace(/(\.[^.[\]]+|\[\d+\])$/, '') : '';
      }
      const slot = target?.querySelector<HTMLElement>(':scope > .field-error');
      if (slot) {
        slot.textContent = reason;
        target?.querySelector(':scope > input, :scope > select, :scope > textarea')?.setAttribute('aria-invalid', 'true');
      } else unplaced.push(`${field}: ${reason}`);
    }
    formError.textContent = unplaced.join('; ');
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.textContent = '';
    const chosen = found.find((m) => named(m.place.names) === place.value || m.matched === place.value);
    const location: Record<string, unknown> = {};
    if (chosen) location.place = chosen.place.id;
    else if (place.value.trim()) location.place = place.value.trim();
    if (picked) location.geometry = { type: 'Point', coordinates: picked };
    const count = (i: HTMLInputElement): number | undefined => (i.value === '' ? undefined : Number(i.value));
    const claim = {
      claimant: claimant.value,
      accused: accused.value || null,
      event_type: type.value || null,
      source: { kind: kind.value, name: sourceName.value },
      occurred: from.value ? { from: new Date(`${from.value}Z`).toISOString(), precision: precision.value } : { precision: precision.value },
      ...(Object.keys(location).length ? { location } : {}),
      casualties: rows.map((r) => ({
        party: r.party.value,
        category: r.category.value,
        killed: count(r.killed),
        wounded: count(r.wounded),
        captured: count(r.captured),
      })),
      narrative: { lang: lang.value, text: text.value },
    };
    try {
      const done = await send<{ id: string }>('POST', '/api/v1/claims', claim);
      show({});
      status.textContent = t('submit.done', { id: done.id });
      status.className = 'done';
    } catch (e) {
      const errors = fieldErrors(e);
      if (Object.keys(errors).length) show(errors);
      else formError.textContent = message(e);
    }
  });
}
