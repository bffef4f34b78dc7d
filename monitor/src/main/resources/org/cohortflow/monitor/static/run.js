// One run, live: loads a snapshot of the run, then applies the deltas the server sends over server-sent
// events after each batch the reporter delivers. Deltas carry the run's version (its number of batches);
// those a snapshot already holds are ignored, those that arrive while the snapshot loads are kept and
// applied after it.
import { drawGraph, elements, COLOURS } from './graph.js';
import { Grid } from './grid.js';

const key = window.cohortflowRun;
const api = `/api/v1/runs/${encodeURIComponent(key)}`;
const state = { version: -1, jobs: new Map(), nodeCounts: new Map(), run: null, network: null, times: new Map() };
let updateGraph = () => {};
let pending = [];
let loaded = false;
const grid = new Grid(document.getElementById('grid'), showJob);
let frame = false;

function schedule() {
  if (frame) return;
  frame = true;
  requestAnimationFrame(() => { frame = false; render(); });
}

function applyJob(node, sample, st, start, end) {
  const k = node + '\u0000' + sample;
  state.jobs.set(k, { node, sample, state: st });
  state.times.set(k, [start, end, st, node]);
  grid.set(node, sample, st);
}

function applyCounts(nodes) {
  for (const c of nodes) state.nodeCounts.set(c.node, c);
}

function applyDelta(d) {
  if (d.version <= state.version) return;
  state.version = d.version;
  state.run = d.run;
  applyCounts(d.nodes);
  for (const j of d.jobs) {
    applyJob(j.node, j.sample, j.state, j.startedAt ? Date.parse(j.startedAt) : null, j.finishedAt ? Date.parse(j.finishedAt) : null);
  }
  schedule();
}

async function loadSnapshot() {
  const r = await fetch(`${api}/snapshot`, { credentials: 'same-origin' });
  if (!r.ok) throw new Error(`snapshot: ${r.status}`);
  const s = await r.json();
  if (!state.network) {
    state.network = s.network;
    updateGraph = drawGraph(document.getElementById('graph'), s.network);
    const order = [...elements(s.network).values()].filter(e => e.kind !== 'source').map(e => e.id);
    grid.setNodes(order);
  }
  if (s.version >= state.version) {
    state.version = s.version;
    state.run = s.run;
    applyCounts(s.nodes);
    for (const [node, sample, st, start, end] of s.jobs) applyJob(node, sample, st, start, end);
  }
  loaded = true;
  const later = pending;
  pending = [];
  later.forEach(applyDelta);
  schedule();
}

function render() {
  const run = state.run;
  if (run) {
    const status = document.getElementById('run-status');
    status.textContent = run.status;
    status.className = 'st-' + run.status;
    document.getElementById('run-progress').textContent = `${run.finished} / ${run.planned}`;
    document.getElementById('run-dropped').textContent = run.dropped > 0 ? `${run.dropped} events dropped by the reporter` : '';
  }
  updateGraph(state.nodeCounts);
  renderFailures();
  renderTimeline();
}

function renderFailures() {
  const ul = document.getElementById('failures');
  const failed = [...state.jobs.values()].filter(j => j.state === 'failed');
  if (ul.childElementCount === failed.length && ul.dataset.sig === failed.map(f => f.node + '/' + f.sample).join('|')) return;
  ul.dataset.sig = failed.map(f => f.node + '/' + f.sample).join('|');
  ul.replaceChildren(...failed.slice(0, 500).map(f => {
    const li = document.createElement('li');
    li.className = 'failure';
    li.dataset.node = f.node;
    li.dataset.sample = f.sample;
    li.textContent = `${f.node} / ${f.sample}`;
    li.addEventListener('click', () => showJob(f.node, f.sample));
    return li;
  }));
  if (failed.length === 0) ul.replaceChildren(Object.assign(document.createElement('li'), { textContent: 'none', className: 'none' }));
}

async function showJob(node, sample) {
  const box = document.getElementById('job-detail');
  const r = await fetch(`${api}/job?node=${encodeURIComponent(node)}&sample=${encodeURIComponent(sample)}`, { credentials: 'same-origin' });
  if (!r.ok) { box.textContent = `${node} / ${sample}: not reported yet`; return; }
  const d = await r.json();
  const dl = document.createElement('dl');
  dl.className = 'job';
  const add = (term, value, pre, cls) => {
    if (value === null || value === undefined || value === '') return;
    const dt = document.createElement('dt'); dt.textContent = term;
    const dd = document.createElement('dd');
    const v = document.createElement(pre ? 'pre' : 'span'); v.textContent = value; if (cls) v.className = cls;
    dd.append(v); dl.append(dt, dd);
  };
  add('job', `${d.job.node} / ${d.job.sample}: ${d.job.state}`, false, 'job-name');
  add('error', d.job.detail, false, 'job-error');
  add('command', d.command, true, 'job-command');
  add('exit code', d.exitCode, false, 'job-exit');
  add('stderr (tail)', d.stderrTail, true, 'job-stderr');
  if (d.folder) {
    const dt = document.createElement('dt'); dt.textContent = 'logs';
    const a = document.createElement('a'); a.href = d.folder.replace(/\/?$/, '/') + 'stderr.txt'; a.textContent = d.folder + ' (stderr.txt, stdout.txt, job.json)';
    a.className = 'job-logs';
    const dd = document.createElement('dd'); dd.append(a); dl.append(dt, dd);
  }
  box.replaceChildren(dl);
}

function renderTimeline() {
  const canvas = document.getElementById('timeline');
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const lanes = [...state.nodeCounts.keys()];
  if (!lanes.length) return;
  let t0 = Infinity, t1 = -Infinity;
  for (const [s, e] of state.times.values()) {
    if (s) { t0 = Math.min(t0, s); t1 = Math.max(t1, s); }
    if (e) { t0 = Math.min(t0, e); t1 = Math.max(t1, e); }
  }
  if (state.run && state.run.status === 'running') t1 = Math.max(t1, Date.now());
  if (!isFinite(t0)) return;
  const span = Math.max(1, t1 - t0), left = 110, w = canvas.width - left - 10, laneH = Math.max(8, Math.floor((canvas.height - 20) / lanes.length));
  ctx.font = '11px sans-serif';
  lanes.forEach((n, i) => { ctx.fillStyle = '#333'; ctx.fillText(n.slice(0, 16), 4, 12 + i * laneH + laneH / 2); });
  for (const [s, e, st, node] of state.times.values()) {
    const i = lanes.indexOf(node);
    if (i < 0) continue;
    const a = s || e, b = e || t1;
    ctx.fillStyle = COLOURS[st] || '#999';
    ctx.globalAlpha = 0.6;
    ctx.fillRect(left + (a - t0) / span * w, 4 + i * laneH, Math.max(1, (b - a) / span * w), laneH - 3);
  }
  ctx.globalAlpha = 1;
  ctx.fillStyle = '#666';
  ctx.fillText(`${(span / 1000).toFixed(1)} s`, canvas.width - 60, canvas.height - 4);
}

const live = document.getElementById('live');
const source = new EventSource(`${api}/stream`);
source.addEventListener('open', () => {
  live.textContent = 'live';
  live.className = 'live on';
  // Also after a reconnection: deltas sent while the page was disconnected are in the next snapshot.
  loaded = false;
  loadSnapshot().catch(e => { live.textContent = String(e); });
});
source.addEventListener('error', () => { live.textContent = 'reconnecting'; live.className = 'live'; });
source.addEventListener('delta', (e) => {
  const d = JSON.parse(e.data);
  if (!loaded) pending.push(d); else applyDelta(d);
});
source.addEventListener('deleted', () => { live.textContent = 'deleted'; source.close(); });
