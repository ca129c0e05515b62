// Live feed: objects stored, received and released, newest first, as the server pushes them.
import { badges, clear, directionBadge, element } from './badges.js';

const MAXIMUM_ROWS = 500;
let rows;
let status;
let context;
let count = 0;

export function mount(section, shared) {
  context = shared;
  status = element('span', { id: 'feed-status', class: 'status disconnected' }, 'connecting');
  const counter = element('span', { id: 'feed-count', class: 'muted' }, '0 objects');
  rows = element('tbody', { id: 'feed-list' });
  section.append(
    element('div', { class: 'toolbar' }, element('h2', {}, 'Live feed'), status, counter),
    element('table', {},
      element('thead', {}, element('tr', {}, ['Added', 'Direction', 'Partner', 'Type', 'Name', 'Collection', 'Markings'].map((title) => element('th', {}, title)))),
      rows),
  );
  section.counter = counter;
  mount.section = section;
}

export function connection(connected) {
  status.className = `status ${connected ? 'connected' : 'disconnected'}`;
  status.textContent = connected ? 'live' : 'reconnecting';
}

export function receive(item) {
  const row = element('tr', { class: 'clickable fresh feed-row', 'data-id': item.id, onclick: () => context.open(item.id) },
    element('td', {}, new Date(item.date_added).toLocaleTimeString()),
    element('td', {}, directionBadge(item.direction)),
    element('td', {}, item.partner || ''),
    element('td', {}, item.type),
    element('td', { class: 'name' }, item.name),
    element('td', {}, item.collection_title || ''),
    element('td', {}, badges(item.badges)));
  rows.prepend(row);
  while (rows.childElementCount > MAXIMUM_ROWS) {
    rows.lastElementChild.remove();
  }
  count += 1;
  mount.section.counter.textContent = `${count} object${count === 1 ? '' : 's'}`;
}

export function reset() {
  clear(rows);
}
