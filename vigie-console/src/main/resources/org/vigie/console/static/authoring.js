// Authoring: common STIX objects, markings chosen before the first save, live pattern validation.
import { request } from './api.js';
import { clear, debounce, element } from './badges.js';

const LIST = 'list';
const FIELDS = {
  'threat-actor': [['name', true], ['description'], ['aliases', false, LIST], ['threat_actor_types', false, LIST]],
  'intrusion-set': [['name', true], ['description'], ['aliases', false, LIST]],
  campaign: [['name', true], ['description'], ['aliases', false, LIST], ['objective']],
  indicator: [['name'], ['description'], ['pattern', true], ['indicator_types', false, LIST]],
  report: [['name', true], ['description'], ['report_types', false, LIST], ['object_refs', true, LIST]],
  note: [['abstract'], ['content', true], ['object_refs', true, LIST]],
  relationship: [['relationship_type', true], ['source_ref', true], ['target_ref', true], ['description']],
  sighting: [['sighting_of_ref', true], ['where_sighted_refs', false, LIST], ['count'], ['description']],
};
const TLP = ['clear', 'green', 'amber', 'amber+strict', 'red'];

let context;
let form;
let typeSelect;
let collectionSelect;
let tlpSelect;
let fields;
let status;
let save;
let editing = null;
let patternValid = true;

export function mount(section, shared) {
  context = shared;
  typeSelect = element('select', { id: 'author-type' }, Object.keys(FIELDS).map((type) => element('option', { value: type }, type)));
  collectionSelect = element('select', { id: 'author-collection' });
  tlpSelect = element('select', { id: 'author-tlp' }, element('option', { value: '' }, 'choose a TLP marking'),
    TLP.map((level) => element('option', { value: level }, `TLP:${level.toUpperCase()}`)));
  fields = element('div', { class: 'form-grid', id: 'author-fields' });
  status = element('p', { id: 'author-result', role: 'status' });
  save = element('button', { id: 'author-save', type: 'submit' }, 'Save');
  form = element('form', { id: 'author-form', class: 'card' },
    element('div', { class: 'form-grid' },
      element('label', {}, 'Type', typeSelect), element('label', {}, 'Collection', collectionSelect), element('label', {}, 'Marking', tlpSelect)),
    fields,
    element('label', {}, 'Created by (identity id, optional)', element('input', { name: 'created_by_ref', placeholder: 'identity--…' })),
    element('div', { class: 'toolbar' }, save, element('button', { type: 'button', class: 'secondary', onclick: () => reset() }, 'New')),
    status);
  typeSelect.addEventListener('change', () => renderFields());
  form.addEventListener('submit', submit);
  section.append(element('h2', { id: 'author-title' }, 'New object'), form);
  renderFields();
}

export function show() {
  clear(collectionSelect);
  for (const collection of context.collections.filter((item) => item.can_write)) {
    collectionSelect.append(element('option', { value: collection.id }, collection.title));
  }
  if (editing) {
    collectionSelect.value = editing.collection;
  }
  if (collectionSelect.childElementCount === 0) {
    status.className = 'error';
    status.textContent = 'You may not write to any collection.';
  }
}

export function edit(detail) {
  const latest = detail.versions[0];
  editing = { id: detail.id, collection: latest.collection };
  typeSelect.value = detail.type;
  typeSelect.disabled = true;
  renderFields(latest.object);
  const tlp = latest.badges.find((entry) => entry.kind === 'tlp');
  tlpSelect.value = tlp ? tlp.value : '';
  form.elements.created_by_ref.value = latest.object.created_by_ref || '';
  document.getElementById('author-title').textContent = `Edit ${detail.type}: ${detail.name}`;
}

function reset() {
  editing = null;
  typeSelect.disabled = false;
  tlpSelect.value = '';
  form.elements.created_by_ref.value = '';
  document.getElementById('author-title').textContent = 'New object';
  renderFields();
  show();
}

function renderFields(values = {}) {
  clear(fields);
  patternValid = true;
  for (const [name, required, kind] of FIELDS[typeSelect.value]) {
    const value = values[name] === undefined ? '' : (Array.isArray(values[name]) ? values[name].join(', ') : String(values[name]));
    if (name === 'pattern') {
      const patternStatus = element('span', { id: 'pattern-status' });
      const area = element('textarea', { id: 'pattern-input', name, required, placeholder: "[ipv4-addr:value = '198.51.100.1']" }, value);
      area.addEventListener('input', debounce(() => validatePattern(area, patternStatus), 150));
      fields.append(element('label', { class: 'pattern' }, 'pattern (STIX)', area, patternStatus));
      if (value) {
        validatePattern(area, patternStatus);
      }
      continue;
    }
    const input = name === 'description' || name === 'content'
      ? element('textarea', { name, required }, value)
      : element('input', { name, required, 'data-kind': kind || 'text', placeholder: kind === LIST ? 'comma-separated' : '' });
    if (input.tagName === 'INPUT') {
      input.value = value;
    }
    fields.append(element('label', {}, `${name.replaceAll('_', ' ')}${required ? ' *' : ''}`, input));
  }
  save.disabled = false;
}

async function validatePattern(area, patternStatus) {
  const pattern = area.value;
  if (!pattern.trim()) {
    patternValid = false;
    patternStatus.className = 'invalid';
    patternStatus.textContent = 'A pattern is required.';
    save.disabled = true;
    return;
  }
  try {
    const answer = await request('/patterns/validate', { method: 'POST', json: { pattern } });
    if (area.value !== pattern) {
      return;
    }
    patternValid = answer.valid;
    patternStatus.className = answer.valid ? 'valid' : 'invalid';
    patternStatus.textContent = answer.valid ? 'Valid STIX pattern.' : answer.message;
    save.disabled = !answer.valid;
  } catch (error) {
    patternValid = false;
    patternStatus.className = 'invalid';
    patternStatus.textContent = error.message;
    save.disabled = true;
  }
}

async function submit(event) {
  event.preventDefault();
  if (!tlpSelect.value) {
    status.className = 'error';
    status.textContent = 'Choose a TLP marking before saving.';
    return;
  }
  if (!patternValid) {
    status.className = 'error';
    status.textContent = 'Fix the pattern before saving.';
    return;
  }
  const properties = {};
  for (const [name, , kind] of FIELDS[typeSelect.value]) {
    const raw = form.elements[name].value.trim();
    if (!raw) {
      continue;
    }
    if (kind === LIST) {
      properties[name] = raw.split(',').map((item) => item.trim()).filter((item) => item);
    } else if (name === 'count') {
      properties[name] = Number(raw);
    } else {
      properties[name] = raw;
    }
  }
  const createdBy = form.elements.created_by_ref.value.trim();
  if (createdBy) {
    properties.created_by_ref = createdBy;
  }
  const body = { collection: collectionSelect.value, type: typeSelect.value, tlp: tlpSelect.value, properties };
  if (editing) {
    body.id = editing.id;
  }
  try {
    const saved = await request('/objects', { method: 'POST', json: body });
    status.className = 'ok';
    clear(status).append(`Saved ${saved.object.id} (version ${saved.object.modified}) `,
      element('a', { id: 'author-open', href: `#knowledge/${encodeURIComponent(saved.object.id)}` }, 'open'));
    status.dataset.id = saved.object.id;
    editing = { id: saved.object.id, collection: saved.collection };
    typeSelect.disabled = true;
  } catch (error) {
    status.className = 'error';
    status.textContent = error.message;
  }
}
