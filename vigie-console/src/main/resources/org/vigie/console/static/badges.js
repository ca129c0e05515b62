// Small DOM helpers and the marking badges (TLP 2.0 colours are in style.css).
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key === 'class') {
      node.className = value;
    } else if (key === 'text') {
      node.textContent = value;
    } else if (key.startsWith('on')) {
      node.addEventListener(key.slice(2), value);
    } else {
      node.setAttribute(key, value === true ? '' : value);
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

const TITLES = {
  tlp: (value) => `TLP:${value.toUpperCase()}`,
  handling: (value) => value,
  evaluation: (value) => value,
  pap: (value) => `PAP:${value.toUpperCase()}`,
  marking: () => 'marking?',
};

export function badge(entry) {
  const text = (TITLES[entry.kind] || ((value) => value))(entry.value);
  const classes = `badge ${entry.kind} ${entry.kind}-${entry.value}`;
  return element('span', { class: classes, title: entry.detail || entry.marking_ref || '', 'data-badge': `${entry.kind}:${entry.value}` }, text);
}

export function badges(list) {
  return element('span', { class: 'badges' }, (list || []).map(badge));
}

export function directionBadge(direction) {
  return element('span', { class: `badge direction-${direction}` }, direction);
}

export function clear(node) {
  while (node.firstChild) {
    node.firstChild.remove();
  }
  return node;
}

export function debounce(fn, milliseconds) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), milliseconds);
  };
}
