// Sharing: partners and trust groups with their delivery state, a dry run of what a partner would
// receive, release and recall with the policy's decision explained, and the audit ledger.
// Release, recall, outboxes and the ledger are for administrators (the API answers 403 to others).
import { request } from './api.js';
import { clear, element } from './badges.js';

const KINDS = ['RELEASE', 'RECEIPT', 'REJECTION', 'POLICY_CHANGE', 'PARTNER_READ', 'PARTNER_CHANGE', 'RECALL'];
let shared;
let partnersBody;
let groupsBody;
let partnersError;
let previewPartner;
let releaseTargets;
let outboxView;
let auditPartner;
let lastPartners = [];

export function mount(section, context) {
  shared = context;
  const administrator = Boolean(context.user?.administrator);
  partnersBody = element('tbody', { id: 'sharing-partners' });
  groupsBody = element('tbody', { id: 'sharing-groups' });
  partnersError = element('p', { id: 'sharing-error', class: 'error', role: 'alert' });
  outboxView = element('div', { id: 'outbox-view' });
  section.append(
    element('div', { class: 'toolbar' }, element('h2', {}, 'Sharing'),
      element('button', { id: 'sharing-refresh', type: 'button', class: 'secondary', onclick: () => refresh() }, 'Refresh delivery state')),
    partnersError,
    element('div', { class: 'split' },
      element('div', {},
        element('h3', {}, 'Partners'),
        element('table', {}, element('thead', {}, element('tr', {},
          ['Partner', 'Groups', 'Outbox', 'Failures', 'Last receipt'].map((title) => element('th', {}, title)))), partnersBody),
        element('h3', {}, 'Trust groups'),
        element('table', {}, element('thead', {}, element('tr', {},
          ['Group', 'Kind', 'Members'].map((title) => element('th', {}, title)))), groupsBody),
        administrator ? element('p', { class: 'muted' }, 'Select a partner to see its outbox.') : null,
        outboxView),
      element('div', {}, previewCard(), administrator ? releaseCard() : null, administrator ? recallCard() : null)),
    administrator ? auditCard() : element('p', { class: 'muted', id: 'sharing-administrators' },
      'Release, recall, partner outboxes and the audit ledger are for administrators.'));
}

export function show() {
  refresh();
}

async function refresh() {
  partnersError.textContent = '';
  try {
    const body = await request('/sharing/partners');
    lastPartners = body.partners;
    fillPartners(body.partners);
    fillGroups(body.groups);
    fillTargets(body.partners, body.groups);
  } catch (error) {
    partnersError.textContent = error.message;
  }
}

function fillPartners(partners) {
  clear(partnersBody);
  for (const partner of partners) {
    const outbox = partner.outbox;
    const receipt = outbox.last_receipt;
    const row = element('tr', { 'data-partner': partner.id, class: shared.user.administrator ? 'clickable' : null },
      element('td', {}, element('strong', {}, partner.name), element('div', { class: 'muted' }, partner.id)),
      element('td', {}, partner.groups.join(', ')),
      element('td', { class: 'outbox-depth' }, `${outbox.depth} waiting of ${outbox.total}`),
      element('td', { class: outbox.failures > 0 ? 'failures error' : 'failures' }, String(outbox.failures),
        outbox.last_error ? element('div', { class: 'muted last-error' }, outbox.last_error) : null),
      element('td', { class: 'last-receipt' }, receipt ? `#${receipt.sequence ?? receipt.outbox_sequence} ${receipt.status}` : 'none yet',
        receipt?.envelope_id ? element('div', { class: 'muted' }, receipt.envelope_id) : null));
    if (shared.user.administrator) {
      row.addEventListener('click', () => showOutbox(partner.id));
    }
    partnersBody.append(row);
  }
  if (partners.length === 0) {
    partnersBody.append(element('tr', {}, element('td', { colspan: 5, class: 'muted' }, 'No partner is registered on this node.')));
  }
  const selected = previewPartner.value;
  clear(previewPartner).append(...partners.map((partner) => element('option', { value: partner.id }, `${partner.name} (${partner.id})`)));
  if (partners.some((partner) => partner.id === selected)) {
    previewPartner.value = selected;
  }
  if (auditPartner) {
    const chosen = auditPartner.value;
    clear(auditPartner).append(element('option', { value: '' }, 'any partner'), ...partners.map((partner) => element('option', { value: partner.id }, partner.id)));
    auditPartner.value = chosen;
  }
}

function fillGroups(groups) {
  clear(groupsBody);
  for (const group of groups) {
    groupsBody.append(element('tr', { 'data-group': group.id },
      element('td', {}, group.name, element('div', { class: 'muted' }, group.id)), element('td', {}, group.kind), element('td', {}, group.members.join(', '))));
  }
}

function fillTargets(partners, groups) {
  if (!releaseTargets) {
    return;
  }
  const checked = new Set([...releaseTargets.querySelectorAll('input:checked')].map((box) => box.value));
  clear(releaseTargets);
  const box = (kind, id, label) => element('label', { class: 'check' },
    element('input', { type: 'checkbox', name: kind, value: `${kind}:${id}`, checked: checked.has(`${kind}:${id}`) }), label);
  partners.forEach((partner) => releaseTargets.append(box('partner', partner.id, `partner ${partner.name}`)));
  groups.forEach((group) => releaseTargets.append(box('group', group.id, `group ${group.name}`)));
}

function ids(text) {
  return text.split(/[\s,]+/).map((value) => value.trim()).filter((value) => value.length > 0);
}

function offered(objectsInput, collectionSelect) {
  const body = {};
  const list = ids(objectsInput.value);
  if (list.length > 0) {
    body.objects = list;
  }
  if (collectionSelect.value) {
    body.collection = collectionSelect.value;
  }
  return body;
}

function collectionSelect(id) {
  const select = element('select', { id }, element('option', { value: '' }, 'objects by id (any readable collection)'));
  shared.collections.filter((collection) => collection.can_read)
    .forEach((collection) => select.append(element('option', { value: collection.id }, `collection ${collection.title}`)));
  return select;
}

function decisionsTable(decisions, id) {
  return element('table', { class: 'decisions', id },
    element('thead', {}, element('tr', {}, ['Object', 'Decision', 'Why'].map((title) => element('th', {}, title)))),
    element('tbody', {}, decisions.map((decision) => element('tr', { class: `decision ${decision.released ? 'released' : 'withheld'}`, 'data-object': decision.object_id },
      element('td', {}, decision.object_id),
      element('td', { class: decision.released ? 'ok' : 'error' }, decision.released ? 'released' : 'withheld', element('div', { class: 'muted' }, decision.reason)),
      element('td', { class: 'explanation' }, decision.explanation, decision.rule ? element('div', { class: 'muted' }, `rule “${decision.rule}”`) : null)))));
}

function withheldList(references) {
  if (references.length === 0) {
    return null;
  }
  return element('div', {}, element('strong', {}, 'References cut: '),
    references.map((reference) => `${reference.object_id} ${reference.path}${reference.target_id ? ` → ${reference.target_id}` : ''}`).join('; '));
}

function previewCard() {
  previewPartner = element('select', { id: 'preview-partner' });
  const objects = element('textarea', { id: 'preview-objects', placeholder: 'Object ids, one per line', rows: 3 });
  const collection = collectionSelect('preview-collection');
  const result = element('div', { id: 'preview-result' });
  const form = element('form', { id: 'preview-form', class: 'card' },
    element('h3', {}, 'Dry run: what would a partner receive?'),
    element('label', {}, 'Partner', previewPartner),
    element('label', {}, 'Offer', collection), objects,
    element('button', { id: 'preview-run', type: 'submit' }, 'Dry run'),
    result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(result).append(element('p', { class: 'muted' }, 'Planning…'));
    try {
      const plan = await request('/sharing/preview', { method: 'POST', json: { partner: previewPartner.value, ...offered(objects, collection) } });
      clear(result).append(
        element('p', { id: 'preview-summary' }, `${plan.released_object_ids.length} of ${plan.decisions.length} object(s) would be released to ${plan.partner}`,
          plan.handling.length ? ` under ${plan.handling.join(', ')}` : '', '. Nothing was queued or recorded.'),
        decisionsTable(plan.decisions, 'preview-decisions'),
        withheldList(plan.withheld_references));
    } catch (error) {
      clear(result).append(element('p', { class: 'error' }, error.message));
    }
  });
  return form;
}

function releaseCard() {
  releaseTargets = element('div', { id: 'release-targets', class: 'targets' });
  const objects = element('textarea', { id: 'release-objects', placeholder: 'Object ids, one per line', rows: 3 });
  const collection = collectionSelect('release-collection');
  const result = element('div', { id: 'release-result' });
  const form = element('form', { id: 'release-form', class: 'card' },
    element('h3', {}, 'Release'),
    element('label', {}, 'Offer', collection), objects,
    element('div', {}, element('strong', {}, 'To'), releaseTargets),
    element('button', { id: 'release-run', type: 'submit' }, 'Release'),
    result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const targets = [...releaseTargets.querySelectorAll('input:checked')].map((box) => box.value);
    const partners = targets.filter((value) => value.startsWith('partner:')).map((value) => value.slice(8));
    const groups = targets.filter((value) => value.startsWith('group:')).map((value) => value.slice(6));
    clear(result).append(element('p', { class: 'muted' }, 'Releasing…'));
    try {
      const outcome = await request('/sharing/release', { method: 'POST', json: { ...offered(objects, collection), partners, groups } });
      clear(result).append(...outcome.partners.map((partner) => element('div', { class: 'partner-release', 'data-partner': partner.partner },
        element('h4', {}, partner.partner, ': ', partner.queued ? `queued as envelope #${partner.sequence}` : 'nothing to send',
          partner.recall_envelope_id ? ' (and a recall of a narrowed object)' : ''),
        decisionsTable(partner.decisions, `release-decisions-${partner.partner}`),
        withheldList(partner.withheld_references))));
      await refresh();
    } catch (error) {
      clear(result).append(element('p', { class: 'error' }, error.message));
    }
  });
  return form;
}

function recallCard() {
  const object = element('input', { id: 'recall-object', placeholder: 'Object id', size: 48, required: true });
  const reason = element('input', { id: 'recall-reason', placeholder: 'Reason, e.g. false positive', size: 32, required: true });
  const result = element('div', { id: 'recall-result' });
  const status = element('button', { id: 'recall-status', type: 'button', class: 'secondary' }, 'Status');
  const showStatus = (body, partners) => {
    // Holders no longer registered cannot be reached; the node names them (and records them in the ledger).
    const skipped = body.skipped_partners || [];
    const summary = partners && (partners.length ? `Recall queued to ${partners.join(', ')}.` : (skipped.length ? 'Recall queued to no partner.' : 'No partner had received this object.'))
      + (skipped.length ? ` Not sent to ${skipped.join(', ')}: no longer registered.` : '');
    clear(result).append(
      partners ? element('p', { id: 'recall-summary' }, summary) : null,
      element('table', { id: 'recall-status-table' },
        element('thead', {}, element('tr', {}, ['Partner', 'Recall', 'Acknowledged'].map((title) => element('th', {}, title)))),
        element('tbody', {}, body.status.map((row) => element('tr', { 'data-partner': row.partner },
          element('td', {}, row.partner), element('td', {}, row.state, row.last_error ? element('div', { class: 'muted' }, row.last_error) : null),
          element('td', { class: row.acknowledged ? 'ok' : 'muted' }, row.acknowledged ? 'yes' : 'not yet'))))));
  };
  const form = element('form', { id: 'recall-form', class: 'card' },
    element('h3', {}, 'Recall'),
    element('div', { class: 'toolbar' }, object, reason),
    element('div', { class: 'toolbar' }, element('button', { id: 'recall-run', type: 'submit' }, 'Recall'), status),
    result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const body = await request('/sharing/recall', { method: 'POST', json: { object: object.value.trim(), reason: reason.value } });
      showStatus(body, body.partners);
      await refresh();
    } catch (error) {
      clear(result).append(element('p', { class: 'error' }, error.message));
    }
  });
  status.addEventListener('click', async () => {
    try {
      showStatus(await request(`/sharing/recall/${encodeURIComponent(object.value.trim())}`), null);
    } catch (error) {
      clear(result).append(element('p', { class: 'error' }, error.message));
    }
  });
  return form;
}

async function showOutbox(partnerId) {
  partnersBody.querySelectorAll('tr').forEach((row) => row.classList.toggle('selected', row.dataset.partner === partnerId));
  clear(outboxView).append(element('p', { class: 'muted' }, 'Loading the outbox…'));
  try {
    const body = await request(`/sharing/partners/${encodeURIComponent(partnerId)}/outbox`);
    const partner = lastPartners.find((candidate) => candidate.id === partnerId);
    clear(outboxView).append(
      element('h3', {}, `Outbox of ${partner ? partner.name : partnerId}`),
      element('table', { id: 'outbox-entries', 'data-partner': partnerId },
        element('thead', {}, element('tr', {}, ['#', 'Kind', 'Objects', 'State', 'Attempts', 'Receipt'].map((title) => element('th', {}, title)))),
        element('tbody', {}, body.entries.map((entry) => element('tr', { 'data-envelope': entry.envelope_id, 'data-kind': entry.kind, 'data-state': entry.state },
          element('td', {}, String(entry.sequence)), element('td', {}, entry.kind), element('td', {}, entry.object_ids.join(', ')),
          element('td', {}, entry.state, entry.last_error ? element('div', { class: 'error' }, entry.last_error) : null),
          element('td', {}, String(entry.attempts), element('div', { class: 'muted' }, `next ${entry.next_attempt}`)),
          element('td', {}, entry.receipt ? `${entry.receipt.status}: ${entry.receipt.detail}` : '—'))))));
  } catch (error) {
    clear(outboxView).append(element('p', { class: 'error' }, error.message));
  }
}

function auditCard() {
  auditPartner = element('select', { id: 'audit-partner' }, element('option', { value: '' }, 'any partner'));
  const kind = element('select', { id: 'audit-kind' }, element('option', { value: '' }, 'any kind'), KINDS.map((value) => element('option', { value }, value)));
  const object = element('input', { id: 'audit-object', placeholder: 'Object id', size: 40 });
  const from = element('input', { id: 'audit-from', type: 'datetime-local', title: 'From (UTC)' });
  const to = element('input', { id: 'audit-to', type: 'datetime-local', title: 'To (UTC)' });
  const entries = element('tbody', { id: 'audit-entries' });
  const summary = element('p', { id: 'audit-summary', class: 'muted' });
  const verification = element('span', { id: 'audit-verification' });
  const verify = element('button', { id: 'audit-verify', type: 'button', class: 'secondary' }, 'Verify the chain');
  const form = element('form', { id: 'audit-form', class: 'toolbar' }, auditPartner, kind, object,
    element('label', {}, 'From (UTC)', from), element('label', {}, 'To (UTC)', to),
    element('button', { id: 'audit-run', type: 'submit' }, 'Search'), verify, verification);
  const utc = (value) => (value ? `${value.length === 16 ? `${value}:00` : value}Z` : null);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const parameters = new URLSearchParams();
    [['partner', auditPartner.value], ['kind', kind.value], ['object', object.value.trim()], ['from', utc(from.value)], ['to', utc(to.value)]]
      .filter(([, value]) => value).forEach(([name, value]) => parameters.set(name, value));
    try {
      const body = await request(`/sharing/audit?${parameters}`);
      summary.textContent = `${body.total} entr${body.total === 1 ? 'y' : 'ies'}${body.truncated ? `, newest ${body.entries.length} shown` : ''}`;
      clear(entries).append(...body.entries.map((entry) => element('tr', { 'data-sequence': entry.sequence, 'data-kind': entry.kind, 'data-partner': entry.partner || '' },
        element('td', {}, String(entry.sequence)), element('td', {}, entry.timestamp), element('td', {}, entry.kind), element('td', {}, entry.actor),
        element('td', {}, entry.partner || ''), element('td', {}, entry.object_ids.join(', ')), element('td', {}, entry.handling.join(' ')),
        element('td', {}, entry.detail))));
    } catch (error) {
      summary.textContent = error.message;
    }
  });
  verify.addEventListener('click', async () => {
    try {
      const body = await request('/sharing/audit/verify');
      verification.className = body.valid ? 'ok' : 'error';
      verification.textContent = body.valid ? `intact: ${body.entries_checked} entries checked` : `${body.problem} at ${body.first_bad_sequence}: ${body.explanation}`;
    } catch (error) {
      verification.className = 'error';
      verification.textContent = error.message;
    }
  });
  return element('div', { class: 'card', id: 'audit-card' },
    element('h3', {}, 'Audit ledger'), form, summary,
    element('table', {}, element('thead', {}, element('tr', {},
      ['#', 'Time', 'Kind', 'Actor', 'Partner', 'Objects', 'Handling', 'Detail'].map((title) => element('th', {}, title)))), entries));
}
