// The graph's force layout, run in a Web Worker so that the page's frames only draw: springs on edges,
// repulsion through a Barnes-Hut quadtree (a step costs n log n, not n squared), gravity to the centre.
// It steps while the layout is hot, posts the positions after each slice of steps, and stops (frozen)
// once settled; new nodes, a dragged node or a heat message start it again. Messages in (from graph.js):
// {type: 'add', generation, positions: [x, y, ...] of the new nodes, edges: [source, target, ...]
// indices, width, height}, {type: 'pin', index, x, y}, {type: 'unpin', index}, {type: 'heat', alpha},
// {type: 'clear', generation}, {type: 'drawn'} (the last positions were drawn or dropped). Messages out:
// {type: 'positions', generation, positions, alpha}.
const REPULSION = 900;
const THETA2 = 1.0;
const SPRING = 0.05;
const LENGTH = 80;
const GRAVITY = 0.01;
const MINIMUM_DISTANCE2 = 16;
const ALPHA_DECAY = 0.975;
const ALPHA_FROZEN = 0.02;
// Steps run between two posts of the positions: about one animation frame of work.
const SLICE_MILLISECONDS = 8;

// Barnes-Hut quadtree over typed arrays, rebuilt at each step: cells hold the mass and centre of mass of
// the nodes under them; a far cell acts as one body.
class QuadTree {
  constructor() {
    this.capacity = 0;
    this.count = 0;
  }

  ensure(capacity) {
    if (capacity <= this.capacity) {
      return;
    }
    this.capacity = capacity;
    this.mass = new Float64Array(capacity);
    this.sumX = new Float64Array(capacity);
    this.sumY = new Float64Array(capacity);
    this.left = new Float64Array(capacity);
    this.top = new Float64Array(capacity);
    this.size = new Float64Array(capacity);
    this.body = new Int32Array(capacity);
    this.children = new Int32Array(capacity * 4);
  }

  cell(left, top, size) {
    const index = this.count++;
    this.mass[index] = 0;
    this.sumX[index] = 0;
    this.sumY[index] = 0;
    this.left[index] = left;
    this.top[index] = top;
    this.size[index] = size;
    this.body[index] = -1;
    this.children.fill(-1, index * 4, index * 4 + 4);
    return index;
  }

  build(xs, ys, n) {
    // Each insertion adds at most a few cells per level; the depth is capped, so this bounds the count.
    this.ensure(Math.max(64, n * 8));
    this.count = 0;
    let minX = Infinity; let minY = Infinity; let maxX = -Infinity; let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, xs[i]); maxX = Math.max(maxX, xs[i]);
      minY = Math.min(minY, ys[i]); maxY = Math.max(maxY, ys[i]);
    }
    const size = Math.max(maxX - minX, maxY - minY, 1) + 1;
    const root = this.cell(minX, minY, size);
    for (let i = 0; i < n; i++) {
      this.insert(root, i, xs, ys);
    }
    return root;
  }

  insert(root, i, xs, ys) {
    const x = xs[i];
    const y = ys[i];
    let cell = root;
    for (let depth = 0; ; depth++) {
      if (this.count + 8 >= this.capacity) {
        this.grow();
      }
      const leaf = this.children[cell * 4] < 0 && this.children[cell * 4 + 1] < 0 && this.children[cell * 4 + 2] < 0 && this.children[cell * 4 + 3] < 0;
      if (leaf && (this.mass[cell] === 0 || depth > 24)) {
        // An empty leaf takes the body; past the depth cap, coincident bodies share one leaf.
        if (this.mass[cell] === 0) {
          this.body[cell] = i;
        }
        this.add(cell, x, y);
        return;
      }
      if (leaf) {
        // Split: the body already here moves one level down.
        const other = this.body[cell];
        this.body[cell] = -1;
        const child = this.child(cell, xs[other], ys[other]);
        this.body[child] = other;
        this.mass[child] = this.mass[cell];
        this.sumX[child] = this.sumX[cell];
        this.sumY[child] = this.sumY[cell];
      }
      this.add(cell, x, y);
      cell = this.child(cell, x, y);
    }
  }

  add(cell, x, y) {
    this.mass[cell] += 1;
    this.sumX[cell] += x;
    this.sumY[cell] += y;
  }

  child(cell, x, y) {
    const half = this.size[cell] / 2;
    const east = x >= this.left[cell] + half ? 1 : 0;
    const south = y >= this.top[cell] + half ? 1 : 0;
    const slot = cell * 4 + east + south * 2;
    if (this.children[slot] < 0) {
      this.children[slot] = this.cell(this.left[cell] + east * half, this.top[cell] + south * half, half);
    }
    return this.children[slot];
  }

  grow() {
    const old = this;
    const copy = new QuadTree();
    copy.ensure(this.capacity * 2);
    for (const field of ['mass', 'sumX', 'sumY', 'left', 'top', 'size', 'body', 'children']) {
      copy[field].set(old[field]);
    }
    Object.assign(this, { capacity: copy.capacity, mass: copy.mass, sumX: copy.sumX, sumY: copy.sumY, left: copy.left, top: copy.top, size: copy.size, body: copy.body, children: copy.children });
  }
}

const layout = {
  generation: 0,
  count: 0,
  xs: new Float64Array(256),
  ys: new Float64Array(256),
  vxs: new Float64Array(256),
  vys: new Float64Array(256),
  fixed: new Uint8Array(256),
  sources: [],
  targets: [],
  alpha: 0,
  centreX: 400,
  centreY: 250,
  tree: new QuadTree(),
  stack: new Int32Array(1024),
  running: false,
  waiting: false,
};

function grow(capacity) {
  if (capacity <= layout.xs.length) {
    return;
  }
  const size = Math.max(capacity, layout.xs.length * 2);
  for (const field of ['xs', 'ys', 'vxs', 'vys']) {
    const larger = new Float64Array(size);
    larger.set(layout[field]);
    layout[field] = larger;
  }
  const fixed = new Uint8Array(size);
  fixed.set(layout.fixed);
  layout.fixed = fixed;
}

function step() {
  const n = layout.count;
  const { xs, ys, vxs, vys, fixed, tree } = layout;
  const root = tree.build(xs, ys, n);
  const strength = REPULSION * layout.alpha;
  let stack = layout.stack;
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    const y = ys[i];
    let fx = 0;
    let fy = 0;
    let top = 0;
    stack[top++] = root;
    while (top > 0) {
      const cell = stack[--top];
      const mass = tree.mass[cell];
      if (mass === 0) {
        continue;
      }
      const body = tree.body[cell];
      const base = cell * 4;
      const leaf = body >= 0 || (tree.children[base] < 0 && tree.children[base + 1] < 0 && tree.children[base + 2] < 0 && tree.children[base + 3] < 0);
      let dx = x - tree.sumX[cell] / mass;
      let dy = y - tree.sumY[cell] / mass;
      let distance2 = dx * dx + dy * dy;
      const size = tree.size[cell];
      if (!leaf && size * size >= THETA2 * distance2) {
        if (top + 4 > stack.length) {
          const larger = new Int32Array(stack.length * 2);
          larger.set(stack);
          stack = larger;
          layout.stack = larger;
        }
        for (let slot = 0; slot < 4; slot++) {
          const child = tree.children[base + slot];
          if (child >= 0) {
            stack[top++] = child;
          }
        }
        continue;
      }
      let weight = mass;
      if (body === i) {
        // The node itself (and any node on the very same spot) is not pushed by itself.
        weight -= 1;
        if (weight === 0) {
          continue;
        }
        dx = (i % 7) - 3 || 1;
        dy = (i % 5) - 2 || 1;
        distance2 = dx * dx + dy * dy;
      }
      if (distance2 < MINIMUM_DISTANCE2) {
        distance2 = MINIMUM_DISTANCE2;
      }
      const force = (strength * weight) / (distance2 * Math.sqrt(distance2));
      fx += dx * force;
      fy += dy * force;
    }
    vxs[i] += fx;
    vys[i] += fy;
  }
  const { sources, targets } = layout;
  for (let e = 0; e < sources.length; e++) {
    const s = sources[e];
    const t = targets[e];
    const dx = xs[t] - xs[s];
    const dy = ys[t] - ys[s];
    const distance = Math.sqrt(dx * dx + dy * dy) || 1;
    const force = ((distance - LENGTH) * SPRING * layout.alpha) / distance;
    vxs[s] += dx * force;
    vys[s] += dy * force;
    vxs[t] -= dx * force;
    vys[t] -= dy * force;
  }
  const gravity = GRAVITY * layout.alpha;
  for (let i = 0; i < n; i++) {
    if (fixed[i]) {
      vxs[i] = 0;
      vys[i] = 0;
      continue;
    }
    vxs[i] = Math.max(-30, Math.min(30, (vxs[i] + (layout.centreX - xs[i]) * gravity) * 0.6));
    vys[i] = Math.max(-30, Math.min(30, (vys[i] + (layout.centreY - ys[i]) * gravity) * 0.6));
    xs[i] += vxs[i];
    ys[i] += vys[i];
  }
  layout.alpha *= ALPHA_DECAY;
}

function post() {
  const positions = new Float64Array(layout.count * 2);
  for (let i = 0; i < layout.count; i++) {
    positions[i * 2] = layout.xs[i];
    positions[i * 2 + 1] = layout.ys[i];
  }
  self.postMessage({ type: 'positions', generation: layout.generation, positions, alpha: layout.alpha }, [positions.buffer]);
}

function run() {
  layout.running = false;
  if (layout.count === 0 || layout.alpha <= ALPHA_FROZEN) {
    return;
  }
  const start = performance.now();
  do {
    step();
  } while (layout.alpha > ALPHA_FROZEN && performance.now() - start < SLICE_MILLISECONDS);
  post();
  layout.waiting = true;
}

// Steps run in slices with the message queue served in between, so a drag or new nodes apply at once;
// the next slice waits until the page has drawn the last positions, so that the layout never takes the
// CPU the page needs to draw (on a busy machine, a free-running layout made the frames slower).
function schedule() {
  if (!layout.running && !layout.waiting && layout.alpha > ALPHA_FROZEN) {
    layout.running = true;
    setTimeout(run, 0);
  }
}

function heat(alpha) {
  layout.alpha = Math.max(layout.alpha, alpha);
  schedule();
}

self.onmessage = ({ data }) => {
  switch (data.type) {
    case 'clear':
      layout.generation = data.generation;
      layout.waiting = false;
      layout.count = 0;
      layout.sources = [];
      layout.targets = [];
      layout.alpha = 0;
      break;
    case 'add': {
      if (data.generation !== layout.generation) {
        return;
      }
      const added = data.positions.length / 2;
      grow(layout.count + added);
      for (let k = 0; k < added; k++) {
        const i = layout.count + k;
        layout.xs[i] = data.positions[k * 2];
        layout.ys[i] = data.positions[k * 2 + 1];
        layout.vxs[i] = 0;
        layout.vys[i] = 0;
        layout.fixed[i] = 0;
      }
      layout.count += added;
      for (let k = 0; k < data.edges.length; k += 2) {
        layout.sources.push(data.edges[k]);
        layout.targets.push(data.edges[k + 1]);
      }
      layout.centreX = data.width / 2;
      layout.centreY = data.height / 2;
      heat(1);
      break;
    }
    case 'pin':
      if (data.index < layout.count) {
        layout.xs[data.index] = data.x;
        layout.ys[data.index] = data.y;
        layout.fixed[data.index] = 1;
        // Dragging stirs the layout a little around the node, not as much as new nodes do.
        heat(0.3);
      }
      break;
    case 'unpin':
      if (data.index < layout.count) {
        layout.fixed[data.index] = 0;
      }
      break;
    case 'heat':
      heat(data.alpha);
      break;
    case 'drawn':
      layout.waiting = false;
      schedule();
      break;
    default:
      break;
  }
};
