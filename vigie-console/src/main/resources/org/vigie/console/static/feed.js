// Live feed: objects stored, received from partners, released to partners and recalled, newest first,
// as the server pushes them.
import { badges, clear, directionBadge, element } from './badges.js';

const MAXIMUM_ROWS = 500;
let rows;
let status;
let context;
let count = 0;

export function mount(section, shared) {
  context = shared;
  status = element('span', { id: 'feed-status', class: 'status disconnected' }, 'connecting');
  const counter = element('span', { id: 'feed-count', class: 'muted' }, '0 rows');
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

// Said by the server about the stream itself (for example: it could not resume, so events may be missing).
export function notice(message) {
  status.title = message;
  rows.prepend(element('tr', { class: 'feed-notice' }, element('td', { colspan: 7 }, message)));
}

export function receive(item) {
  prepend(item, item.date_added, 'feed-row', []);
}

// A release to a partner or a recall (sent or received): one row per object the user may see, with the
// partner and the handling the release went under.
export function receiveExchange(message) {
  const handling = message.handling.map((value) => element('span', { class: 'badge release-handling', title: 'handling of the release', 'data-badge': `release:${value}` }, value));
  for (const item of [...message.objects].reverse()) {
    prepend(item, message.timestamp, 'feed-row exchange-row', handling.map((node) => node.cloneNode(true)), message);
  }
}

function prepend(item, time, classes, extraBadges, exchange) {
  const row = element('tr', {
    class: `clickable fresh ${classes}`, 'data-id': item.id, 'data-direction': item.direction, 'data-envelope': exchange?.envelope_id,
    'data-channel': exchange?.channel, title: exchange?.detail, onclick: () => context.open(item.id),
  },
    element('td', {}, new Date(time).toLocaleTimeString()),
    element('td', {}, directionBadge(item.direction), exchange?.channel === 'taxii' ? element('span', { class: 'muted', title: 'served to the partner\'s TAXII read' }, ' (TAXII read)') : null),
    element('td', { class: 'partner' }, item.partner || ''),
    element('td', {}, item.type),
    element('td', { class: 'name' }, item.name),
    element('td', {}, item.collection_title || ''),
    element('td', {}, badges(item.badges), extraBadges));
  rows.prepend(row);
  while (rows.childElementCount > MAXIMUM_ROWS) {
    rows.lastElementChild.remove();
  }
  count += 1;
  mount.section.counter.textContent = `${count} row${count === 1 ? '' : 's'}`;
}

export function reset() {
  clear(rows);
}
