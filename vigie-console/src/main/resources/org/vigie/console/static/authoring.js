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
// The Vigie handling marking's choices; shown only when the node's marking model has them (GET /markings).
const HANDLING = [['handling', 'Handling code'], ['pap', 'PAP'], ['reliability', 'Source reliability'], ['credibility', 'Information credibility']];

let context;
let form;
let typeSelect;
let collectionSelect;
let tlpSelect;
let handlingFields;
let handlingSelects = {};
let conditionInput;
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
  handlingSelects = Object.fromEntries(HANDLING.map(([name]) => [name, element('select', { id: `author-${name}` }, element('option', { value: '' }, 'none'))]));
  conditionInput = element('input', { id: 'author-handling-condition', placeholder: 'condition (required with H3)' });
  handlingFields = element('div', { class: 'form-grid', id: 'author-handling-markings', hidden: true },
    HANDLING.map(([name, title]) => element('label', {}, title, handlingSelects[name])), element('label', {}, 'Handling condition', conditionInput));
  loadMarkingChoices();
  fields = element('div', { class: 'form-grid', id: 'author-fields' });
  status = element('p', { id: 'author-result', role: 'status' });
  save = element('button', { id: 'author-save', type: 'submit' }, 'Save');
  form = element('form', { id: 'author-form', class: 'card' },
    element('div', { class: 'form-grid' },
      element('label', {}, 'Type', typeSelect), element('label', {}, 'Collection', collectionSelect), element('label', {}, 'Marking', tlpSelect)),
    handlingFields,
    fields,
    element('label', {}, 'Created by (identity id, optional)', element('input', { name: 'created_by_ref', placeholder: 'identity--…' })),
    element('div', { class: 'toolbar' }, save, element('button', { type: 'button', class: 'secondary', onclick: () => reset() }, 'New')),
    status);
  typeSelect.addEventListener('change', () => renderFields());
  form.addEventListener('submit', submit);
  section.append(element('h2', { id: 'author-title' }, 'New object'), form);
  renderFields();
}

async function loadMarkingChoices() {
  try {
    const choices = await request('/markings');
    if (!choices.handling_markings) {
      return;
    }
    const options = {
      handling: choices.handling_codes.map((entry) => [entry.code, `${entry.code}: ${entry.meaning}`]),
      pap: choices.pap.map((level) => [level, `PAP:${level.toUpperCase()}`]),
      reliability: choices.source_reliability.map((letter) => [letter, letter]),
      credibility: choices.information_credibility.map((digit) => [digit, digit]),
    };
    for (const [name, values] of Object.entries(options)) {
      handlingSelects[name].append(...values.map(([value, label]) => element('option', { value }, label)));
    }
    handlingFields.hidden = false;
  } catch (error) {
    status.className = 'error';
    status.textContent = error.message;
  }
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

// The previous save's result would otherwise read as the result of the object now in the form.
function clearStatus() {
  status.className = '';
  status.textContent = '';
  delete status.dataset.id;
}

export function edit(detail) {
  clearStatus();
  const latest = detail.versions[0];
  editing = { id: detail.id, collection: latest.collection };
  typeSelect.value = detail.type;
  typeSelect.disabled = true;
  renderFields(latest.object);
  const chosen = (kind) => latest.badges.find((entry) => entry.kind === kind);
  tlpSelect.value = chosen('tlp')?.value || '';
  handlingSelects.handling.value = chosen('handling')?.value || '';
  conditionInput.value = chosen('handling')?.detail || '';
  handlingSelects.pap.value = chosen('pap')?.value || '';
  const evaluation = chosen('evaluation')?.value || '';
  handlingSelects.reliability.value = evaluation.slice(0, 1);
  handlingSelects.credibility.value = evaluation.slice(1, 2);
  form.elements.created_by_ref.value = latest.object.created_by_ref || '';
  document.getElementById('author-title').textContent = `Edit ${detail.type}: ${detail.name}`;
}

function reset() {
  editing = null;
  typeSelect.disabled = false;
  tlpSelect.value = '';
  Object.values(handlingSelects).forEach((select) => { select.value = ''; });
  conditionInput.value = '';
  form.elements.created_by_ref.value = '';
  document.getElementById('author-title').textContent = 'New object';
  clearStatus();
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
  const reliability = handlingSelects.reliability.value;
  const credibility = handlingSelects.credibility.value;
  if (Boolean(reliability) !== Boolean(credibility)) {
    status.className = 'error';
    status.textContent = 'An evaluation code needs both a source reliability (A-F) and an information credibility (1-6).';
    return;
  }
  // On an edit an emptied field is sent as null, which removes it; fields the form does not show are kept by the server.
  const properties = {};
  for (const [name, , kind] of FIELDS[typeSelect.value]) {
    const raw = form.elements[name].value.trim();
    if (!raw) {
      if (editing) {
        properties[name] = null;
      }
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
  if (createdBy || editing) {
    properties.created_by_ref = createdBy || null;
  }
  const body = { collection: collectionSelect.value, type: typeSelect.value, tlp: tlpSelect.value, properties };
  const condition = conditionInput.value.trim();
  [['handling', handlingSelects.handling.value], ['handling_condition', condition], ['pap', handlingSelects.pap.value],
    ['evaluation', reliability && credibility ? `${reliability}${credibility}` : '']]
    .filter(([, value]) => value).forEach(([name, value]) => { body[name] = value; });
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
