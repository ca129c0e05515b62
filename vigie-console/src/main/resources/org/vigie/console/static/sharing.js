// Sharing: placeholder until the node wires the exchange (vigie-exchange) into the console API.
import { element } from './badges.js';

export function mount(section) {
  section.append(
    element('h2', {}, 'Sharing'),
    element('div', { class: 'card', id: 'sharing-placeholder' },
      element('p', {}, 'Coming with the exchange wiring of the node:'),
      element('ul', {},
        element('li', {}, 'partners and trust groups with their delivery state;'),
        element('li', {}, 'a dry run of what a partner would receive;'),
        element('li', {}, 'release and recall, with the release policy’s decision explained;'),
        element('li', {}, 'the audit ledger, with filters.')),
      element('p', { class: 'muted' }, 'Released objects already appear in the live feed once the node publishes them.')));
}
