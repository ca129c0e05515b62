// Detection: the sightings stored in the collections the user may read, per sighted object (usually
// an indicator) and per partner, with a time chart. Reloaded when a sighting arrives on the live feed.
import { request } from './api.js';
import { clear, element } from './badges.js';

const SVG = 'http://www.w3.org/2000/svg';
let perTarget;
let perPartner;
let recent;
let chart;
let summary;
let bucket;
let visible = false;
let pending = null;
let openObject;

export function mount(section, context) {
  openObject = (id) => context.open(id);
  perTarget = element('tbody', { id: 'detection-targets' });
  perPartner = element('tbody', { id: 'detection-partners' });
  recent = element('tbody', { id: 'detection-recent' });
  summary = element('p', { id: 'detection-summary', class: 'muted' });
  bucket = element('select', { id: 'detection-bucket' }, ['minute', 'hour', 'day'].map((value) => element('option', { value }, `per ${value}`)));
  bucket.value = 'hour';
  bucket.addEventListener('change', () => load());
  chart = document.createElementNS(SVG, 'svg');
  chart.setAttribute('class', 'chart');
  chart.setAttribute('id', 'detection-chart');
  chart.setAttribute('width', '720');
  chart.setAttribute('height', '130');
  section.append(
    element('h2', {}, 'Detection'),
    element('div', { class: 'toolbar' }, summary, bucket),
    chart,
    element('div', { class: 'split' },
      element('div', {}, element('h3', {}, 'Per indicator'),
        element('table', {}, element('thead', {}, element('tr', {}, ['Sighted', 'Sightings', 'Count', 'Last'].map((title) => element('th', {}, title)))), perTarget)),
      element('div', {}, element('h3', {}, 'Per partner'),
        element('table', {}, element('thead', {}, element('tr', {}, ['Partner', 'Sightings', 'Count'].map((title) => element('th', {}, title)))), perPartner))),
    element('h3', {}, 'Latest sightings'),
    element('table', {}, element('thead', {}, element('tr', {}, ['Time', 'Sighted', 'Partner', 'Count'].map((title) => element('th', {}, title)))), recent));
}

export function show() {
  visible = true;
  load();
}

// A sighting on the live feed: reload once things settle, only while the screen is shown.
export function receive(item) {
  if (item.type !== 'sighting' || !visible || location.hash.replace(/^#/, '').split('/')[0] !== 'detection') {
    return;
  }
  clearTimeout(pending);
  pending = setTimeout(load, 500);
}

async function load() {
  try {
    const body = await request(`/detection/sightings?bucket=${encodeURIComponent(bucket.value)}`);
    summary.textContent = `${body.total} sighting${body.total === 1 ? '' : 's'} of ${body.sighted_objects} object${body.sighted_objects === 1 ? '' : 's'} in the collections you may read${body.per_sighted.length < body.sighted_objects ? `; the ${body.per_sighted.length} most sighted are listed` : ''}; time is ${body.time_property}.`;
    clear(perTarget).append(...body.per_sighted.map((row) => {
      const line = element('tr', { 'data-id': row.id, class: 'clickable' },
        element('td', {}, element('span', { class: 'name' }, row.name), element('div', { class: 'muted' }, row.type)),
        element('td', { class: 'sightings' }, String(row.sightings)), element('td', {}, String(row.count)), element('td', {}, row.last));
      line.addEventListener('click', () => openObject(row.id));
      return line;
    }));
    clear(perPartner).append(...body.per_partner.map((row) => element('tr', { 'data-partner': row.partner },
      element('td', {}, row.partner), element('td', {}, String(row.sightings)), element('td', {}, String(row.count)))));
    clear(recent).append(...body.recent.map((row) => element('tr', { 'data-id': row.id },
      element('td', {}, row.time), element('td', {}, row.sighted_name), element('td', {}, row.partner), element('td', {}, String(row.count)))));
    draw(body.buckets, body.bucket);
  } catch (error) {
    summary.textContent = error.message;
  }
}

function draw(buckets, size) {
  chart.replaceChildren();
  const shown = buckets.slice(-60);
  const maximum = Math.max(1, ...shown.map((entry) => entry.sightings));
  shown.forEach((entry, index) => {
    const height = (entry.sightings / maximum) * 100;
    const bar = document.createElementNS(SVG, 'rect');
    bar.setAttribute('x', String(index * 12));
    bar.setAttribute('y', String(105 - height));
    bar.setAttribute('width', '10');
    bar.setAttribute('height', String(height));
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${entry.start}: ${entry.sightings}`;
    bar.append(title);
    chart.append(bar);
  });
  const label = document.createElementNS(SVG, 'text');
  label.setAttribute('x', '0');
  label.setAttribute('y', '122');
  label.textContent = shown.length
    ? `sightings per ${size}, ${shown[0].start} to ${shown[shown.length - 1].start} (peak ${maximum})`
    : 'no sightings yet';
  chart.append(label);
}
