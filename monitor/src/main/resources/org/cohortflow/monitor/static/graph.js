// The network drawn as SVG: sources, nodes and sinks laid out in layers by topological order (an element's
// layer is one more than the deepest element feeding it), links as curves labelled with collapse/expand,
// and each node's job counts as numbers and a stacked bar.
const SVG = 'http://www.w3.org/2000/svg';
const W = 250, H = 70, GAP_X = 60, GAP_Y = 24;
const STATES = ['queued', 'running', 'done', 'cached', 'failed', 'missing'];

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

/** Elements and edges of a network model as the reporter sent it. */
export function elements(network) {
  const items = new Map();
  for (const s of network.sources || []) items.set(s.id, { id: s.id, kind: 'source', label: s.type || '', from: [] });
  for (const n of network.nodes || []) {
    const from = [];
    for (const p of n.inputs || []) for (const l of p.links || []) from.push({ ...l, port: p.id });
    const dims = (n.dimensions || []).length ? ' [' + n.dimensions.join(' x ') + ']' : '';
    items.set(n.id, { id: n.id, kind: 'node', label: (n.tool || '') + dims, from });
  }
  for (const s of network.sinks || []) {
    items.set('sink:' + s.id, { id: 'sink:' + s.id, kind: 'sink', label: s.type || 'sink', from: [{ ...s.from, port: '' }] });
  }
  for (const it of items.values()) for (const f of it.from) f.element = String(f.from).split('.')[0];
  return items;
}

function layers(items) {
  const layer = new Map();
  const visiting = new Set();
  const depth = (id) => {
    if (layer.has(id)) return layer.get(id);
    const it = items.get(id);
    if (!it || visiting.has(id)) return 0;
    visiting.add(id);
    let d = 0;
    for (const f of it.from) if (items.has(f.element)) d = Math.max(d, depth(f.element) + 1);
    visiting.delete(id);
    layer.set(id, d);
    return d;
  };
  for (const id of items.keys()) depth(id);
  return layer;
}

/** Draws the network into {@code container}; returns a function that updates the counts. */
export function drawGraph(container, network) {
  const items = elements(network);
  const layer = layers(items);
  const columns = [];
  for (const [id, l] of layer) (columns[l] = columns[l] || []).push(id);
  // One ordering pass: place each element near the mean row of what feeds it, so links cross less.
  const row = new Map();
  columns.forEach((col, c) => {
    if (c > 0) {
      col.sort((a, b) => mean(items.get(a)) - mean(items.get(b)));
    }
    col.forEach((id, i) => row.set(id, i));
  });
  function mean(it) {
    const rs = it.from.map(f => row.get(f.element)).filter(r => r !== undefined);
    return rs.length ? rs.reduce((x, y) => x + y, 0) / rs.length : 0;
  }
  const rows = Math.max(1, ...columns.map(c => c.length));
  const width = columns.length * (W + GAP_X) + 20, height = rows * (H + GAP_Y) + 20;
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}` });
  const pos = new Map();
  for (const [id] of items) pos.set(id, { x: 10 + layer.get(id) * (W + GAP_X), y: 10 + row.get(id) * (H + GAP_Y) });
  for (const it of items.values()) {
    for (const f of it.from) {
      const a = pos.get(f.element), b = pos.get(it.id);
      if (!a) continue;
      const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
      el('path', { class: 'link', d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}` }, svg);
      const label = [f.collapse ? 'collapse ' + f.collapse : '', f.expand ? 'expand' : ''].filter(Boolean).join(', ');
      if (label) el('text', { class: 'linklabel', x: mx - 30, y: (y1 + y2) / 2 - 4 }, svg).textContent = label;
    }
  }
  const views = new Map();
  for (const it of items.values()) {
    const p = pos.get(it.id);
    const g = el('g', { class: it.kind, transform: `translate(${p.x},${p.y})`, 'data-node': it.id }, svg);
    el('rect', { class: 'box', width: W, height: H, rx: 5 }, g);
    el('text', { x: 8, y: 16, 'font-weight': 'bold' }, g).textContent = it.id;
    el('text', { class: 'sub', x: 8, y: 31 }, g).textContent = it.label.length > 30 ? it.label.slice(0, 29) + '…' : it.label;
    if (it.kind !== 'source') {
      const counts = el('text', { class: 'sub counts', x: 8, y: 46 }, g);
      const bar = el('g', { transform: `translate(8,${H - 16})` }, g);
      views.set(it.id, { counts, bar });
    }
  }
  container.replaceChildren(svg);
  return (nodeCounts) => {
    for (const [id, v] of views) {
      const c = nodeCounts.get(id) || { planned: 0, queued: 0, running: 0, done: 0, cached: 0, failed: 0, missing: 0 };
      v.counts.textContent = `${c.queued} queued · ${c.running} running · ${c.done} done · ${c.cached} cached · ${c.failed} failed · ${c.missing} missing`;
      v.counts.setAttribute('data-failed', c.failed);
      v.counts.setAttribute('data-done', c.done + c.cached);
      v.bar.replaceChildren();
      const total = Math.max(1, c.planned, STATES.reduce((s, k) => s + c[k], 0));
      let x = 0;
      for (const k of STATES) {
        const w = (W - 16) * c[k] / total;
        if (w > 0) el('rect', { x, y: 0, width: w, height: 8, class: 'st-' + k, fill: COLOURS[k] }, v.bar);
        x += w;
      }
    }
  };
}

export const COLOURS = { queued: '#d8d8d8', running: '#4a90d9', done: '#3c9a3c', succeeded: '#3c9a3c', written: '#3c9a3c',
  cached: '#9fd49f', failed: '#dd3333', missing: '#e8a33d' };
