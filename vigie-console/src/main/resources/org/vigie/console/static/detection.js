// Detection: sightings as they arrive on the live feed, per indicator and per partner, with a time
// chart per minute (last hour). History before the console opened comes with the detection API.
import { clear, element } from './badges.js';

const MINUTES = 60;
let perTarget;
let perPartner;
let chart;
const byTarget = new Map();
const byPartner = new Map();
const byMinute = new Map();

export function mount(section) {
  perTarget = element('tbody', { id: 'detection-targets' });
  perPartner = element('tbody', { id: 'detection-partners' });
  chart = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  chart.setAttribute('class', 'chart');
  chart.setAttribute('width', '720');
  chart.setAttribute('height', '120');
  section.append(
    element('h2', {}, 'Detection'),
    element('p', { class: 'muted' }, 'Sightings received since this console opened.'),
    chart,
    element('div', { class: 'split' },
      element('table', {}, element('thead', {}, element('tr', {}, element('th', {}, 'Sighted'), element('th', {}, 'Sightings'))), perTarget),
      element('table', {}, element('thead', {}, element('tr', {}, element('th', {}, 'Partner'), element('th', {}, 'Sightings'))), perPartner)));
  draw();
}

export function receive(item) {
  if (item.type !== 'sighting') {
    return;
  }
  byTarget.set(item.name, (byTarget.get(item.name) || 0) + 1);
  const partner = item.partner || 'this node';
  byPartner.set(partner, (byPartner.get(partner) || 0) + 1);
  const minute = Math.floor(Date.parse(item.date_added) / 60000);
  byMinute.set(minute, (byMinute.get(minute) || 0) + 1);
  fill(perTarget, byTarget);
  fill(perPartner, byPartner);
  draw();
}

function fill(body, counts) {
  clear(body);
  [...counts.entries()].sort((first, second) => second[1] - first[1]).slice(0, 50)
    .forEach(([name, count]) => body.append(element('tr', {}, element('td', {}, name), element('td', {}, String(count)))));
}

function draw() {
  chart.replaceChildren();
  const now = Math.floor(Date.now() / 60000);
  const maximum = Math.max(1, ...byMinute.values());
  for (let index = 0; index < MINUTES; index++) {
    const count = byMinute.get(now - MINUTES + 1 + index) || 0;
    const height = (count / maximum) * 100;
    const bar = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    bar.setAttribute('x', String(index * 12));
    bar.setAttribute('y', String(105 - height));
    bar.setAttribute('width', '10');
    bar.setAttribute('height', String(height));
    chart.append(bar);
  }
  const label = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  label.setAttribute('x', '0');
  label.setAttribute('y', '118');
  label.textContent = `sightings per minute, last ${MINUTES} minutes (peak ${maximum})`;
  chart.append(label);
}
