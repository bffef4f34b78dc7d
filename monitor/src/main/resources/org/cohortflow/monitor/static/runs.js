// The list of runs, live: each 'run' event carries a run's new summary; its row is replaced (or added on top).
const tbody = document.querySelector('#runs tbody');
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const when = (t) => t ? t.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC') : '';

function row(r) {
  const pct = r.planned === 0 ? 0 : Math.round(100 * r.finished / r.planned);
  const tr = document.createElement('tr');
  tr.dataset.key = r.key;
  tr.innerHTML = `<td><a href="/runs/${esc(r.key)}">${esc(r.name)}</a></td><td>${esc(r.network)}</td><td>${esc(r.reporter)}</td>`
    + `<td>${esc(r.host)}</td><td>${when(r.startedAt)}</td><td class="status st-${esc(r.status)}">${esc(r.status)}`
    + `${r.failed > 0 ? ` (${r.failed} failed)` : ''}</td><td><progress max="${Math.max(1, r.planned)}" value="${r.finished}"></progress> `
    + `${r.finished} / ${r.planned} (${pct}%)</td>`;
  return tr;
}

const source = new EventSource('/api/v1/stream');
source.addEventListener('run', (e) => {
  const r = JSON.parse(e.data);
  const old = [...tbody.rows].find(t => t.dataset.key === r.key);
  if (old) old.replaceWith(row(r)); else tbody.prepend(row(r));
});
source.addEventListener('deleted', (e) => {
  const k = JSON.parse(e.data).key;
  [...tbody.rows].filter(t => t.dataset.key === k).forEach(t => t.remove());
});
