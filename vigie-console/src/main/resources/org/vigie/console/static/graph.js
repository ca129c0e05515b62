// Interactive relationship graph: SVG, own force layout (springs on edges, repulsion between nearby
// nodes found through a uniform grid so that each step is linear in the number of nodes), pan, zoom,
// drag, and expansion of a node's neighbourhood on click.
const SVG = 'http://www.w3.org/2000/svg';
const CELL = 90;
const REPULSION = 2400;
const SPRING = 0.04;
const LENGTH = 70;
const GRAVITY = 0.004;
// Nodes of one grid cell that repel a node in one step: a hub's hundreds of leaves share a few cells,
// and counting every pair there made a step quadratic (300 ms frames at 2,000 nodes).
const SAMPLE_PER_CELL = 8;

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) {
    node.setAttribute(key, value);
  }
  return node;
}

export class ForceGraph {
  constructor(svgElement, { onExpand, onSelect }) {
    this.svg = svgElement;
    this.onExpand = onExpand;
    this.onSelect = onSelect;
    this.nodes = new Map();
    this.edges = new Map();
    this.view = { x: 0, y: 0, scale: 1 };
    this.alpha = 0;
    this.frame = null;
    this.root = svg('g');
    this.edgeLayer = svg('g');
    this.nodeLayer = svg('g');
    this.root.append(this.edgeLayer, this.nodeLayer);
    this.svg.append(this.root);
    this.installPanZoom();
  }

  clear() {
    this.nodes.clear();
    this.edges.clear();
    this.edgeLayer.replaceChildren();
    this.nodeLayer.replaceChildren();
    this.view = { x: 0, y: 0, scale: 1 };
    this.applyView();
  }

  // Adds nodes (summaries) and edges {source, target, label, via}; new nodes start near `near`.
  add(nodes, edges, near) {
    const origin = near && this.nodes.get(near);
    for (const summary of nodes) {
      if (this.nodes.has(summary.id)) {
        continue;
      }
      const angle = Math.random() * Math.PI * 2;
      const x = origin ? origin.x + Math.cos(angle) * 40 : this.width() / 2 + (Math.random() - 0.5) * 20;
      const y = origin ? origin.y + Math.sin(angle) * 40 : this.height() / 2 + (Math.random() - 0.5) * 20;
      const group = svg('g', { class: `graph-node type-${summary.type}${summary.resolved ? '' : ' unresolved'}`, 'data-id': summary.id });
      const circle = svg('circle', { r: 9 });
      const label = svg('text', { x: 12, y: 4 });
      label.textContent = summary.name.length > 40 ? `${summary.name.slice(0, 39)}…` : summary.name;
      const title = svg('title');
      title.textContent = `${summary.type}: ${summary.name}`;
      group.append(circle, label, title);
      this.nodeLayer.append(group);
      const node = { id: summary.id, summary, x, y, vx: 0, vy: 0, element: group, fixed: false, expanded: false };
      this.nodes.set(summary.id, node);
      this.installNodeEvents(node);
    }
    for (const edge of edges) {
      const key = `${edge.via} ${edge.source} ${edge.target} ${edge.label}`;
      if (this.edges.has(key) || !this.nodes.has(edge.source) || !this.nodes.has(edge.target)) {
        continue;
      }
      const line = svg('line', { class: 'graph-edge' });
      const text = svg('text', { class: 'graph-edge-label' });
      text.textContent = edge.label;
      this.edgeLayer.append(line, text);
      this.edges.set(key, { source: this.nodes.get(edge.source), target: this.nodes.get(edge.target), line, text });
    }
    this.heat();
  }

  markExpanded(id) {
    const node = this.nodes.get(id);
    if (node) {
      node.expanded = true;
      node.element.classList.add('expanded');
    }
  }

  width() {
    return this.svg.clientWidth || 800;
  }

  height() {
    return this.svg.clientHeight || 500;
  }

  heat() {
    this.alpha = 1;
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => this.tick());
    }
  }

  tick() {
    this.frame = null;
    this.step();
    this.render();
    this.alpha *= 0.97;
    if (this.alpha > 0.02) {
      this.frame = requestAnimationFrame(() => this.tick());
    }
  }

  step() {
    const nodes = [...this.nodes.values()];
    const grid = new Map();
    for (const node of nodes) {
      const key = `${Math.floor(node.x / CELL)},${Math.floor(node.y / CELL)}`;
      (grid.get(key) || grid.set(key, []).get(key)).push(node);
    }
    const cx = this.width() / 2;
    const cy = this.height() / 2;
    for (const node of nodes) {
      const gx = Math.floor(node.x / CELL);
      const gy = Math.floor(node.y / CELL);
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          const cell = grid.get(`${gx + dx},${gy + dy}`) || [];
          // In a crowded cell, an evenly spread sample starting at a random place stands for the rest.
          const stride = Math.max(1, Math.floor(cell.length / SAMPLE_PER_CELL));
          for (let index = stride > 1 ? Math.floor(Math.random() * stride) : 0; index < cell.length; index += stride) {
            const other = cell[index];
            if (other === node) {
              continue;
            }
            let ox = node.x - other.x;
            let oy = node.y - other.y;
            let distance2 = ox * ox + oy * oy;
            if (distance2 < 0.01) {
              ox = Math.random() - 0.5;
              oy = Math.random() - 0.5;
              distance2 = 0.5;
            }
            const force = (REPULSION * stride) / distance2;
            const distance = Math.sqrt(distance2);
            node.vx += (ox / distance) * force * this.alpha;
            node.vy += (oy / distance) * force * this.alpha;
          }
        }
      }
      node.vx += (cx - node.x) * GRAVITY * this.alpha;
      node.vy += (cy - node.y) * GRAVITY * this.alpha;
    }
    for (const edge of this.edges.values()) {
      const dx = edge.target.x - edge.source.x;
      const dy = edge.target.y - edge.source.y;
      const distance = Math.sqrt(dx * dx + dy * dy) || 1;
      const force = (distance - LENGTH) * SPRING * this.alpha;
      const fx = (dx / distance) * force;
      const fy = (dy / distance) * force;
      edge.source.vx += fx;
      edge.source.vy += fy;
      edge.target.vx -= fx;
      edge.target.vy -= fy;
    }
    for (const node of nodes) {
      if (node.fixed) {
        node.vx = 0;
        node.vy = 0;
        continue;
      }
      node.vx = Math.max(-30, Math.min(30, node.vx * 0.6));
      node.vy = Math.max(-30, Math.min(30, node.vy * 0.6));
      node.x += node.vx;
      node.y += node.vy;
    }
  }

  render() {
    for (const node of this.nodes.values()) {
      node.element.setAttribute('transform', `translate(${node.x.toFixed(1)},${node.y.toFixed(1)})`);
    }
    const labels = this.edges.size <= 400;
    for (const edge of this.edges.values()) {
      edge.line.setAttribute('x1', edge.source.x.toFixed(1));
      edge.line.setAttribute('y1', edge.source.y.toFixed(1));
      edge.line.setAttribute('x2', edge.target.x.toFixed(1));
      edge.line.setAttribute('y2', edge.target.y.toFixed(1));
      // Written only when it changes: a style write per edge per frame costs a style recalculation.
      if (edge.labelShown !== labels) {
        edge.text.style.display = labels ? '' : 'none';
        edge.labelShown = labels;
      }
      if (labels) {
        edge.text.setAttribute('x', ((edge.source.x + edge.target.x) / 2).toFixed(1));
        edge.text.setAttribute('y', ((edge.source.y + edge.target.y) / 2).toFixed(1));
      }
    }
  }

  toGraph(event) {
    const box = this.svg.getBoundingClientRect();
    return { x: (event.clientX - box.left - this.view.x) / this.view.scale, y: (event.clientY - box.top - this.view.y) / this.view.scale };
  }

  installNodeEvents(node) {
    let start = null;
    node.element.addEventListener('pointerdown', (event) => {
      event.stopPropagation();
      start = { x: event.clientX, y: event.clientY, moved: false };
      node.fixed = true;
      node.element.setPointerCapture(event.pointerId);
    });
    node.element.addEventListener('pointermove', (event) => {
      if (!start) {
        return;
      }
      if (Math.abs(event.clientX - start.x) + Math.abs(event.clientY - start.y) > 3) {
        start.moved = true;
      }
      const point = this.toGraph(event);
      node.x = point.x;
      node.y = point.y;
      this.heat();
    });
    node.element.addEventListener('pointerup', () => {
      const click = start && !start.moved;
      start = null;
      node.fixed = false;
      if (click) {
        this.onSelect(node.summary);
        if (!node.expanded && node.summary.resolved) {
          this.onExpand(node.id);
        }
      }
    });
  }

  installPanZoom() {
    let pan = null;
    this.svg.addEventListener('pointerdown', (event) => {
      pan = { x: event.clientX - this.view.x, y: event.clientY - this.view.y };
    });
    this.svg.addEventListener('pointermove', (event) => {
      if (pan) {
        this.view.x = event.clientX - pan.x;
        this.view.y = event.clientY - pan.y;
        this.applyView();
      }
    });
    this.svg.addEventListener('pointerup', () => {
      pan = null;
    });
    this.svg.addEventListener('wheel', (event) => {
      event.preventDefault();
      const factor = event.deltaY < 0 ? 1.1 : 1 / 1.1;
      const box = this.svg.getBoundingClientRect();
      const mx = event.clientX - box.left;
      const my = event.clientY - box.top;
      this.view.x = mx - (mx - this.view.x) * factor;
      this.view.y = my - (my - this.view.y) * factor;
      this.view.scale *= factor;
      this.applyView();
    }, { passive: false });
  }

  applyView() {
    this.root.setAttribute('transform', `translate(${this.view.x},${this.view.y}) scale(${this.view.scale})`);
  }
}
