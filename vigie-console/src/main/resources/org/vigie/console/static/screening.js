// Screening: one name with the score explained, or a CSV file screened in the background.
import { request } from './api.js';
import { clear, element } from './badges.js';

let results;
let progress;
let progressText;
let download;
let preview;

export function mount(section) {
  const name = element('input', { id: 'screen-name', placeholder: 'Name to screen', size: 40, required: true });
  const type = element('select', { id: 'screen-type' }, element('option', { value: '' }, 'any type'),
    ['person', 'organization', 'vessel', 'aircraft'].map((value) => element('option', { value }, value)));
  results = element('div', { id: 'screen-results' });
  const form = element('form', { id: 'screen-form', class: 'toolbar' }, name, type, element('button', { id: 'screen-submit', type: 'submit' }, 'Screen'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(results).append(element('p', { class: 'muted' }, 'Screening…'));
    try {
      const query = { name: name.value, limit: 10 };
      if (type.value) {
        query.type = type.value;
      }
      showResults((await request('/screening/match', { method: 'POST', json: query })).results);
    } catch (error) {
      clear(results).append(element('p', { class: 'error' }, error.message));
    }
  });
  const file = element('input', { id: 'csv-file', type: 'file', accept: '.csv,text/csv' });
  progress = element('progress', { id: 'csv-progress', max: 1, value: 0, hidden: true });
  progressText = element('span', { id: 'csv-progress-text', class: 'muted' });
  download = element('a', { id: 'csv-download', hidden: true }, 'Download results');
  preview = element('div', { id: 'csv-preview' });
  file.addEventListener('change', () => file.files[0] && upload(file.files[0]));
  section.append(
    element('h2', {}, 'Screening'),
    element('p', { class: 'muted' }, 'Against the UN and OFAC sanctions lists loaded on this node.'),
    form, results,
    element('h3', {}, 'Screen a CSV file'),
    element('p', { class: 'muted' }, 'A header with a full_name or name column; optional birth_date, nationality and type columns.'),
    element('div', { class: 'toolbar' }, file, progress, progressText, download),
    preview);
}

function showResults(list) {
  clear(results);
  if (list.length === 0) {
    results.append(element('p', { id: 'screen-none' }, 'No designation scores at or above the threshold.'));
    return;
  }
  for (const result of list) {
    const explanation = result.explanation;
    results.append(element('div', { class: 'card screen-result' },
      element('strong', {}, `${result.primary_name} `), element('span', { class: 'muted' }, `${result.list} ${result.id} · ${result.type}`),
      element('div', { class: 'screen-score' }, `Score ${result.score.toFixed(3)} — matched ${explanation.matched_name_kind} name “${explanation.matched_name}”, name score ${explanation.name_score}`),
      element('table', {}, element('thead', {}, element('tr', {}, ['Query token', 'Listed token', 'Rule', 'Score', 'Weight'].map((title) => element('th', {}, title)))),
        element('tbody', {}, explanation.pairs.map((pair) => element('tr', {},
          element('td', {}, pair.query_token), element('td', {}, pair.list_token), element('td', {}, pair.rule.replace('_', ' ')),
          element('td', {}, pair.score.toFixed(3)), element('td', {}, pair.weight.toFixed(2)))))),
      explanation.unmatched_query_tokens.length ? element('div', {}, `Unpaired in the query: ${explanation.unmatched_query_tokens.join(', ')}`) : null,
      explanation.unmatched_list_tokens.length ? element('div', {}, `Unpaired in the listed name: ${explanation.unmatched_list_tokens.join(', ')}`) : null,
      explanation.qualifiers.map((qualifier) => element('div', {}, `${qualifier.rule}: ${qualifier.detail} (×${qualifier.factor})`))));
  }
}

async function upload(file) {
  download.hidden = true;
  clear(preview);
  progress.hidden = false;
  progress.value = 0;
  progressText.textContent = 'Uploading…';
  try {
    let job = await request(`/screening/batch?file=${encodeURIComponent(file.name)}`, { method: 'POST', body: await file.text(), contentType: 'text/csv' });
    while (job.state === 'queued' || job.state === 'running') {
      progress.max = Math.max(job.total_rows, 1);
      progress.value = job.processed_rows;
      progressText.textContent = `${job.processed_rows} of ${job.total_rows} rows`;
      await new Promise((resolve) => setTimeout(resolve, 300));
      job = await request(`/screening/batch/${job.id}`);
    }
    if (job.state === 'failed') {
      progressText.textContent = job.error;
      return;
    }
    progress.max = Math.max(job.total_rows, 1);
    progress.value = job.processed_rows;
    progressText.textContent = `Done: ${job.processed_rows} rows, ${job.matched_rows} with a match`;
    const response = await request(`/screening/batch/${job.id}/result`, { raw: true });
    const text = await response.text();
    download.href = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
    download.download = `${file.name.replace(/\.csv$/, '')}-screened.csv`;
    download.hidden = false;
    showPreview(text);
  } catch (error) {
    progressText.textContent = error.message;
  }
}

// A naive preview of the first rows (quoted commas shown as they are); the download is exact.
function showPreview(text) {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0).slice(0, 21);
  preview.append(element('table', { id: 'csv-preview-table' }, lines.map((line, index) => element('tr', {},
    line.split(',').map((cell) => element(index === 0 ? 'th' : 'td', {}, cell.replace(/^"|"$/g, '')))))));
}
