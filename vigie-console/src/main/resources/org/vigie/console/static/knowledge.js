// Knowledge: search every readable object, open one (versions, markings, provenance) and explore
// its relationships in the graph, node by node.
import { request } from './api.js';
import { badges, clear, debounce, element } from './badges.js';
import { ForceGraph } from './graph.js';

let context;
let input;
let results;
let summary;
let detailPanel;
let graph;
let current = null;

export function mount(section, shared) {
  context = shared;
  input = element('input', { id: 'search-input', type: 'search', placeholder: 'Search names, descriptions, aliases, patterns, values…', size: 50 });
  summary = element('span', { id: 'search-summary', class: 'muted' });
  results = element('tbody', { id: 'search-results' });
  detailPanel = element('div', { id: 'object-view' }, element('p', { class: 'muted' }, 'Search, then open an object.'));
  const canvas = element('canvas', { id: 'graph' });
  graph = new ForceGraph(canvas, { onExpand: expand, onSelect: (node) => showSelection(node) });
  section.append(
    element('div', { class: 'toolbar' }, element('h2', {}, 'Knowledge'), input, summary),
    element('div', { class: 'split' },
      element('div', {}, element('table', {}, element('thead', {}, element('tr', {}, element('th', {}, 'Type'), element('th', {}, 'Name'), element('th', {}, 'Markings'))), results)),
      element('div', {}, detailPanel, element('h3', {}, 'Relationships'), element('p', { id: 'graph-selection', class: 'muted' }, 'Click a node to expand it.'), canvas)),
  );
  input.addEventListener('input', debounce(search, 150));
}

// Opened again on every visit, so that a version saved meanwhile (an edit) is shown.
export function show(params) {
  if (params[0]) {
    open(params[0]);
  }
}

async function search() {
  const query = input.value.trim();
  clear(results);
  if (!query) {
    summary.textContent = '';
    return;
  }
  try {
    const answer = await request(`/search?q=${encodeURIComponent(query)}&limit=100`);
    if (input.value.trim() !== query) {
      return;
    }
    const more = answer.total_exact === false ? ' or more' : '';
    const notice = answer.index_notice ? `; ${answer.index_notice}, newer objects may be missing` : '';
    summary.textContent = `${answer.total}${more} match${answer.total === 1 && !more ? '' : 'es'} (${(answer.elapsed_microseconds / 1000).toFixed(1)} ms on the server${notice})`;
    for (const hit of answer.hits) {
      results.append(element('tr', { class: 'clickable hit', 'data-id': hit.id, onclick: () => context.open(hit.id) },
        element('td', {}, hit.type), element('td', {}, hit.name), element('td', {}, badges(hit.badges))));
    }
  } catch (error) {
    summary.textContent = error.message;
  }
}

async function open(id) {
  current = id;
  clear(detailPanel).append(element('p', { class: 'muted' }, 'Loading…'));
  graph.clear();
  let detail;
  try {
    detail = await request(`/objects/${encodeURIComponent(id)}`);
  } catch (error) {
    if (current !== id) {
      return;
    }
    clear(detailPanel).append(element('p', { class: 'error' }, error.message));
    return;
  }
  // Another object was opened while this one loaded: its answer is the one to show.
  if (current !== id) {
    return;
  }
  const writable = detail.collections.some((collection) => collection.can_write);
  const selected = element('div', { id: 'object-version' });
  const list = element('tbody', { id: 'object-versions' }, detail.versions.map((version, index) => {
    const row = element('tr', { class: 'clickable', 'data-index': String(index), 'data-version': version.version, 'data-collection': version.collection },
      element('td', {}, version.version), element('td', {}, version.collection_title), element('td', {}, badges(version.badges)),
      element('td', {}, version.receipts.length ? `from ${version.receipts[version.receipts.length - 1].partner_name}` : ''));
    row.addEventListener('click', () => showVersion(list, selected, detail.versions, index));
    return row;
  }));
  const latestReceipt = detail.versions.flatMap((version) => version.receipts).sort((a, b) => b.received_at.localeCompare(a.received_at))[0];
  clear(detailPanel).append(...[
    element('h3', { id: 'object-name' }, `${detail.type}: ${detail.name}`),
    element('p', {}, badges(detail.badges)),
    element('p', { class: 'muted' }, detail.id),
    element('p', {}, 'In: ', detail.collections.map((collection) => collection.title).join(', ')),
    detail.created_by ? element('p', {}, 'Created by: ', detail.created_by.name || detail.created_by.id) : null,
    latestReceipt ? element('p', { id: 'object-provenance' }, 'Received from ', element('strong', {}, latestReceipt.partner_name),
      ` in envelope ${latestReceipt.envelope_id} at ${latestReceipt.received_at}`) : null,
    writable ? element('button', { id: 'object-edit', type: 'button', class: 'secondary', onclick: () => context.edit(detail) }, 'Edit') : null,
    element('h4', {}, `${detail.versions.length} version${detail.versions.length === 1 ? '' : 's'}`),
    element('table', { class: 'versions' }, element('thead', {}, element('tr', {}, ['Version', 'Collection', 'Markings', 'Provenance'].map((title) => element('th', {}, title)))), list),
    selected,
  ].filter((child) => child));
  showVersion(list, selected, detail.versions, 0);
  await expand(id);
}

async function expand(id) {
  try {
    const neighbourhood = await request(`/objects/${encodeURIComponent(id)}/relationships`);
    graph.add(neighbourhood.nodes, neighbourhood.edges, id);
    graph.markExpanded(id);
    document.getElementById('graph-selection').textContent = `${graph.nodes.size} nodes, ${graph.edges.size} links${neighbourhood.truncated ? ' (some links left out)' : ''}`;
  } catch (error) {
    document.getElementById('graph-selection').textContent = error.message;
  }
}

// One version at a time: its markings, the envelopes that brought it from partners, and its JSON.
function showVersion(list, panel, versions, index) {
  const version = versions[index];
  list.querySelectorAll('tr').forEach((row) => row.classList.toggle('selected', row.dataset.index === String(index)));
  panel.dataset.version = version.version;
  clear(panel).append(...[
    element('h4', {}, `Version ${version.version}`, element('span', { class: 'muted' }, ` added ${version.date_added} to ${version.collection_title} `), badges(version.badges)),
    version.receipts.length ? element('table', { id: 'object-receipts' },
      element('thead', {}, element('tr', {}, ['Received from', 'Envelope', 'Received at', 'Handling', 'Recalled at'].map((title) => element('th', {}, title)))),
      element('tbody', {}, version.receipts.map((receipt) => element('tr', { 'data-partner': receipt.partner, 'data-envelope': receipt.envelope_id },
        element('td', { class: 'partner' }, receipt.partner_name), element('td', { class: 'envelope' }, receipt.envelope_id), element('td', {}, receipt.received_at),
        element('td', {}, receipt.handling.join(' ')), element('td', { class: receipt.recalled_at ? 'error' : 'muted' }, receipt.recalled_at || '—'))))) : null,
    element('pre', { class: 'json', id: 'object-json' }, JSON.stringify(version.object, null, 2)),
  ].filter((child) => child));
}

function showSelection(node) {
  const selection = document.getElementById('graph-selection');
  clear(selection).append(`${node.type}: ${node.name} `);
  if (node.resolved) {
    selection.append(element('a', { href: `#knowledge/${encodeURIComponent(node.id)}` }, 'open'));
  }
}
