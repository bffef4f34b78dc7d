// The samples x nodes grid, virtualised: only the rows in view exist in the page, so a run of 10,000 jobs
// costs a few hundred elements, and a change re-draws only the rows in view (at most once per frame).
const ROW = 18;

export class Grid {
  /** @param onPick called with (node, sample) when a cell is clicked */
  constructor(container, onPick) {
    this.samples = [];
    this.sampleIndex = new Map();
    this.nodes = [];
    this.jobs = new Map();
    this.scroll = document.createElement('div');
    this.scroll.className = 'grid-scroll';
    this.head = document.createElement('div');
    this.head.className = 'grid-head';
    this.body = document.createElement('div');
    this.body.style.position = 'relative';
    this.scroll.append(this.head, this.body);
    container.replaceChildren(this.scroll);
    this.scroll.addEventListener('scroll', () => this.schedule());
    this.scroll.addEventListener('click', (e) => {
      const c = e.target.closest('.g');
      if (c) onPick(c.dataset.node, c.dataset.sample);
    });
    this.pending = false;
  }

  setNodes(nodes) {
    this.nodes = nodes;
    this.head.replaceChildren(span('sample', 'sample'), ...nodes.map(n => span('', n)));
    this.schedule();
  }

  /** Sets a job's state; new samples are added in sorted order. */
  set(node, sample, state) {
    if (!this.sampleIndex.has(sample)) {
      this.sampleIndex.set(sample, -1);
      this.samples.push(sample);
      this.dirtyOrder = true;
    }
    if (!this.nodes.includes(node)) this.setNodes([...this.nodes, node]);
    this.jobs.set(node + '\u0000' + sample, state);
    this.schedule();
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.render(); });
  }

  render() {
    if (this.dirtyOrder) {
      this.samples.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      this.samples.forEach((s, i) => this.sampleIndex.set(s, i));
      this.dirtyOrder = false;
    }
    this.body.style.height = (this.samples.length * ROW) + 'px';
    const top = Math.max(0, this.scroll.scrollTop - 24);
    const first = Math.max(0, Math.floor(top / ROW) - 5);
    const last = Math.min(this.samples.length, first + Math.ceil(this.scroll.clientHeight / ROW) + 10);
    const rows = [];
    for (let i = first; i < last; i++) {
      const s = this.samples[i];
      const r = document.createElement('div');
      r.className = 'grid-row';
      r.style.top = (i * ROW) + 'px';
      r.dataset.sample = s;
      r.append(span('sample', s));
      for (const n of this.nodes) {
        const st = this.jobs.get(n + '\u0000' + s) || 'none';
        const c = document.createElement('span');
        c.className = 'g st-' + st;
        c.dataset.node = n;
        c.dataset.sample = s;
        c.dataset.state = st;
        c.title = `${n} / ${s}: ${st}`;
        r.append(c);
      }
      rows.push(r);
    }
    this.body.replaceChildren(...rows);
  }
}

function span(cls, text) {
  const s = document.createElement('span');
  if (cls) s.className = cls;
  s.textContent = text;
  s.title = text;
  return s;
}
