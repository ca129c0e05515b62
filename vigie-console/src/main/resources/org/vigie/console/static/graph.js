// Interactive relationship graph drawn on a canvas. The force layout runs in a Web Worker
// (graph-layout.js: Barnes-Hut repulsion, springs, frozen once settled), so the page's frames only draw
// the positions it posts: pan, zoom, drag, and expansion of a node's neighbourhood on click, hit-tested
// through a uniform grid of node positions. Only what is in view is drawn, nodes batched by colour into
// one path each; labels only when few nodes are in view.
//
// Test hook (documented for the browser tests and the benchmark, not used by the console itself): the
// canvas element carries `dataset.nodes` and `dataset.edges` (the counts drawn), and
// `canvas.graphTestHook` with `nodes()` (each {id, type, name, expanded, x, y}, x and y the node's
// centre in viewport CSS pixels, as a mouse click would use), `node(id)`, `edgeCount()`, `settled()`
// (true once the layout has frozen) and `costs()` (the [positions copied, drawing] milliseconds of the
// page's main thread in each frame drawn since the last call).
const ALPHA_FROZEN = 0.02;
const RADIUS = 8;
const HIT_CELL = 32;
const COSTS_KEPT = 1000;
const LABEL_LIMIT = 250;
const EDGE_LABEL_LIMIT = 120;
const COLOURS = {
  'threat-actor': '#c0392b', 'intrusion-set': '#8e44ad', campaign: '#d35400', indicator: '#2980b9', malware: '#7f8c8d',
  report: '#16a085', identity: '#2c3e50', sighting: '#f39c12', note: '#27ae60',
};
const DEFAULT_COLOUR = '#5d6d7e';
const UNRESOLVED_COLOUR = '#bbbbbb';

export class ForceGraph {
  constructor(canvas, { onExpand, onSelect }) {
    this.canvas = canvas;
    this.context = canvas.getContext('2d');
    this.onExpand = onExpand;
    this.onSelect = onSelect;
    this.nodes = new Map();
    this.edges = new Map();
    this.list = [];
    this.edgeList = [];
    this.view = { x: 0, y: 0, scale: 1 };
    this.alpha = 0;
    this.generation = 0;
    this.received = null;
    this.frame = null;
    this.hitGrid = null;
    this.selected = null;
    this.hovered = null;
    this.costs = [];
    this.visible = [];
    this.byColour = new Map();
    this.worker = new Worker('/graph-layout.js');
    this.worker.onmessage = ({ data }) => {
      // Positions of an earlier graph (before a clear) or of fewer nodes than drawn now wait for the next post.
      if (data.generation === this.generation && data.positions.length === this.list.length * 2) {
        this.received = data;
        this.requestDraw();
      } else {
        this.worker.postMessage({ type: 'drawn' });
      }
    };
    this.installPointer();
    this.installTestHook();
    // Shown again or resized: the bitmap is redrawn at the new size instead of stretched.
    new ResizeObserver(() => this.requestDraw()).observe(canvas);
  }

  clear() {
    this.nodes.clear();
    this.edges.clear();
    this.list = [];
    this.edgeList = [];
    this.selected = null;
    this.hovered = null;
    this.hitGrid = null;
    this.dropReceived();
    this.view = { x: 0, y: 0, scale: 1 };
    this.alpha = 0;
    this.generation += 1;
    this.worker.postMessage({ type: 'clear', generation: this.generation });
    this.publishCounts();
    this.requestDraw();
  }

  // Adds nodes (summaries) and edges {source, target, label, via}; new nodes are spread around `near`.
  add(nodes, edges, near) {
    const origin = near && this.nodes.get(near);
    let placed = 0;
    const positions = [];
    const indices = [];
    for (const summary of nodes) {
      if (this.nodes.has(summary.id)) {
        continue;
      }
      // A sunflower spiral around the expanded node: no two start on one spot, so no random jitter is needed.
      placed += 1;
      const angle = placed * 2.39996;
      const distance = 20 + 9 * Math.sqrt(placed);
      const cx = origin ? origin.x : this.width() / 2;
      const cy = origin ? origin.y : this.height() / 2;
      const node = {
        id: summary.id, summary, index: this.list.length, x: cx + Math.cos(angle) * distance, y: cy + Math.sin(angle) * distance,
        vx: 0, vy: 0, fixed: false, expanded: false,
        colour: summary.resolved ? (COLOURS[summary.type] || DEFAULT_COLOUR) : UNRESOLVED_COLOUR,
        label: summary.name.length > 40 ? `${summary.name.slice(0, 39)}…` : summary.name,
      };
      this.nodes.set(summary.id, node);
      this.list.push(node);
      positions.push(node.x, node.y);
    }
    for (const edge of edges) {
      const key = `${edge.via} ${edge.source} ${edge.target} ${edge.label}`;
      if (this.edges.has(key) || !this.nodes.has(edge.source) || !this.nodes.has(edge.target)) {
        continue;
      }
      const value = { source: this.nodes.get(edge.source), target: this.nodes.get(edge.target), label: edge.label };
      this.edges.set(key, value);
      this.edgeList.push(value);
      indices.push(value.source.index, value.target.index);
    }
    this.hitGrid = null;
    this.dropReceived();
    this.publishCounts();
    this.alpha = 1;
    this.worker.postMessage({ type: 'add', generation: this.generation, positions, edges: indices, width: this.width(), height: this.height() });
    this.requestDraw();
  }

  markExpanded(id) {
    const node = this.nodes.get(id);
    if (node) {
      node.expanded = true;
      this.requestDraw();
    }
  }

  width() {
    return this.canvas.clientWidth || 800;
  }

  height() {
    return this.canvas.clientHeight || 500;
  }

  publishCounts() {
    this.canvas.dataset.nodes = String(this.list.length);
    this.canvas.dataset.edges = String(this.edgeList.length);
  }

  // Positions not drawn (they miss the nodes just added, or belong to a cleared graph) still free the worker's next slice.
  dropReceived() {
    if (this.received) {
      this.received = null;
      this.worker.postMessage({ type: 'drawn' });
    }
  }

  requestDraw() {
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => this.tick());
    }
  }

  tick() {
    this.frame = null;
    const start = performance.now();
    const received = this.received;
    if (received) {
      this.received = null;
      const positions = received.positions;
      for (let i = 0; i < this.list.length; i++) {
        const node = this.list[i];
        // A node held by the pointer stays under it whatever the worker computed meanwhile.
        if (!node.fixed) {
          node.x = positions[i * 2];
          node.y = positions[i * 2 + 1];
        }
      }
      this.alpha = received.alpha;
      this.hitGrid = null;
    }
    const drawn = performance.now();
    this.draw();
    this.record(drawn - start, performance.now() - drawn);
    if (received) {
      this.worker.postMessage({ type: 'drawn' });
    }
  }

  // The main-thread time of the last frames' layout and drawing, for the benchmark (see the test hook).
  record(layout, draw) {
    this.costs.push([layout, draw]);
    if (this.costs.length > COSTS_KEPT) {
      this.costs.shift();
    }
  }

  draw() {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = this.width();
    const height = this.height();
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const context = this.context;
    const { x: panX, y: panY, scale } = this.view;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    context.setTransform(ratio * scale, 0, 0, ratio * scale, ratio * panX, ratio * panY);
    // The part of the graph in view, with a margin of one node.
    const left = -panX / scale - RADIUS;
    const top = -panY / scale - RADIUS;
    const right = (width - panX) / scale + RADIUS;
    const bottom = (height - panY) / scale + RADIUS;
    const inView = (node) => node.x >= left && node.x <= right && node.y >= top && node.y <= bottom;

    context.beginPath();
    let edgesInView = 0;
    for (const edge of this.edgeList) {
      const a = edge.source;
      const b = edge.target;
      if (Math.max(a.x, b.x) < left || Math.min(a.x, b.x) > right || Math.max(a.y, b.y) < top || Math.min(a.y, b.y) > bottom) {
        continue;
      }
      edgesInView += 1;
      context.moveTo(a.x, a.y);
      context.lineTo(b.x, b.y);
    }
    context.lineWidth = 1 / scale;
    context.strokeStyle = '#98a4b3';
    context.stroke();

    // The arrays are kept from frame to frame: a frame makes no garbage to collect in the middle of a pan.
    const visible = this.visible;
    visible.length = 0;
    const byColour = this.byColour;
    byColour.forEach((group) => {
      group.length = 0;
    });
    for (const node of this.list) {
      if (!inView(node)) {
        continue;
      }
      visible.push(node);
      (byColour.get(node.colour) || byColour.set(node.colour, []).get(node.colour)).push(node);
    }
    for (const [colour, group] of byColour) {
      if (group.length === 0) {
        continue;
      }
      context.beginPath();
      for (const node of group) {
        context.moveTo(node.x + RADIUS, node.y);
        context.arc(node.x, node.y, RADIUS, 0, Math.PI * 2);
      }
      context.fillStyle = colour;
      context.fill();
    }
    context.beginPath();
    for (const node of visible) {
      if (node.expanded) {
        context.moveTo(node.x + RADIUS, node.y);
        context.arc(node.x, node.y, RADIUS, 0, Math.PI * 2);
      }
    }
    context.lineWidth = 2 / scale;
    context.strokeStyle = '#000';
    context.stroke();
    for (const node of [this.selected, this.hovered]) {
      if (node && inView(node)) {
        context.beginPath();
        context.arc(node.x, node.y, RADIUS + 3 / scale, 0, Math.PI * 2);
        context.strokeStyle = '#1f5fa8';
        context.stroke();
      }
    }

    // Text is drawn at screen size, so the transform is undone for it.
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.textBaseline = 'middle';
    if (edgesInView <= EDGE_LABEL_LIMIT && scale >= 0.8) {
      context.font = '9px system-ui, sans-serif';
      context.fillStyle = '#5b6573';
      for (const edge of this.edgeList) {
        const mx = ((edge.source.x + edge.target.x) / 2) * scale + panX;
        const my = ((edge.source.y + edge.target.y) / 2) * scale + panY;
        if (mx >= 0 && mx <= width && my >= 0 && my <= height) {
          context.fillText(edge.label, mx, my);
        }
      }
    }
    context.font = '10px system-ui, sans-serif';
    context.fillStyle = '#1d232b';
    const labelled = visible.length <= LABEL_LIMIT ? visible : [this.selected, this.hovered].filter((node) => node && inView(node));
    for (const node of labelled) {
      context.fillText(node.label, node.x * scale + panX + RADIUS * scale + 3, node.y * scale + panY);
    }
  }

  toGraph(event) {
    const box = this.canvas.getBoundingClientRect();
    return { x: (event.clientX - box.left - this.view.x) / this.view.scale, y: (event.clientY - box.top - this.view.y) / this.view.scale };
  }

  // The node under a point of the graph, found through a grid of node positions built after the layout moved.
  nodeAt(point) {
    if (!this.hitGrid) {
      this.hitGrid = new Map();
      for (const node of this.list) {
        const key = `${Math.floor(node.x / HIT_CELL)},${Math.floor(node.y / HIT_CELL)}`;
        (this.hitGrid.get(key) || this.hitGrid.set(key, []).get(key)).push(node);
      }
    }
    const gx = Math.floor(point.x / HIT_CELL);
    const gy = Math.floor(point.y / HIT_CELL);
    let best = null;
    let bestDistance2 = (RADIUS + 2) * (RADIUS + 2);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const node of this.hitGrid.get(`${gx + dx},${gy + dy}`) || []) {
          const distance2 = (node.x - point.x) ** 2 + (node.y - point.y) ** 2;
          if (distance2 <= bestDistance2) {
            best = node;
            bestDistance2 = distance2;
          }
        }
      }
    }
    return best;
  }

  installPointer() {
    let gesture = null;
    this.canvas.addEventListener('pointerdown', (event) => {
      const node = this.nodeAt(this.toGraph(event));
      gesture = { node, startX: event.clientX, startY: event.clientY, panX: this.view.x, panY: this.view.y, moved: false };
      if (node) {
        node.fixed = true;
      }
      this.canvas.setPointerCapture?.(event.pointerId);
    });
    this.canvas.addEventListener('pointermove', (event) => {
      if (!gesture) {
        const node = this.nodeAt(this.toGraph(event));
        if (node !== this.hovered) {
          this.hovered = node;
          this.canvas.title = node ? `${node.summary.type}: ${node.summary.name}` : '';
          this.requestDraw();
        }
        return;
      }
      if (Math.abs(event.clientX - gesture.startX) + Math.abs(event.clientY - gesture.startY) > 3) {
        gesture.moved = true;
      }
      if (gesture.node) {
        const point = this.toGraph(event);
        gesture.node.x = point.x;
        gesture.node.y = point.y;
        this.hitGrid = null;
        this.alpha = Math.max(this.alpha, 0.3);
        this.worker.postMessage({ type: 'pin', index: gesture.node.index, x: point.x, y: point.y });
        this.requestDraw();
      } else {
        this.view.x = gesture.panX + event.clientX - gesture.startX;
        this.view.y = gesture.panY + event.clientY - gesture.startY;
        this.requestDraw();
      }
    });
    const end = () => {
      const done = gesture;
      gesture = null;
      if (!done || !done.node) {
        return;
      }
      done.node.fixed = false;
      this.worker.postMessage({ type: 'unpin', index: done.node.index });
      if (!done.moved) {
        this.selected = done.node;
        this.requestDraw();
        this.onSelect(done.node.summary);
        if (!done.node.expanded && done.node.summary.resolved) {
          this.onExpand(done.node.id);
        }
      }
    };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointercancel', () => {
      if (gesture?.node) {
        gesture.node.fixed = false;
        this.worker.postMessage({ type: 'unpin', index: gesture.node.index });
      }
      gesture = null;
    });
    this.canvas.addEventListener('wheel', (event) => {
      event.preventDefault();
      const factor = event.deltaY < 0 ? 1.1 : 1 / 1.1;
      const box = this.canvas.getBoundingClientRect();
      const mx = event.clientX - box.left;
      const my = event.clientY - box.top;
      this.view.x = mx - (mx - this.view.x) * factor;
      this.view.y = my - (my - this.view.y) * factor;
      this.view.scale *= factor;
      this.requestDraw();
    }, { passive: false });
  }

  installTestHook() {
    const describe = (node) => {
      const box = this.canvas.getBoundingClientRect();
      return {
        id: node.id, type: node.summary.type, name: node.summary.name, expanded: node.expanded,
        x: box.left + node.x * this.view.scale + this.view.x, y: box.top + node.y * this.view.scale + this.view.y,
      };
    };
    this.canvas.graphTestHook = {
      nodes: () => this.list.map(describe),
      node: (id) => (this.nodes.has(id) ? describe(this.nodes.get(id)) : null),
      edgeCount: () => this.edgeList.length,
      settled: () => this.alpha <= ALPHA_FROZEN,
      costs: () => this.costs.splice(0),
    };
  }
}
