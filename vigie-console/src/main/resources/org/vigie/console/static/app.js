// Console shell: sign-in, navigation by URL fragment, and the shared live feed stream.
import { login, onSignedOut, request, signOut, streamEvents, token } from './api.js';
import * as feed from './feed.js';
import * as knowledge from './knowledge.js';
import * as sharing from './sharing.js';
import * as detection from './detection.js';
import * as screening from './screening.js';
import * as authoring from './authoring.js';

const VIEWS = { feed, knowledge, sharing, detection, screening, authoring };
const context = {
  user: null,
  collections: [],
  open(objectId) {
    location.hash = `#knowledge/${encodeURIComponent(objectId)}`;
  },
  edit(detail) {
    authoring.edit(detail);
    location.hash = '#authoring';
  },
  async refreshCollections() {
    context.collections = (await request('/collections')).collections;
    return context.collections;
  },
};
let streamController = null;
let mounted = false;

function showOnly(name) {
  document.querySelectorAll('main > .view').forEach((section) => {
    section.hidden = section.id !== `view-${name}`;
  });
  document.querySelectorAll('#navigation a').forEach((link) => {
    link.classList.toggle('active', link.dataset.view === name);
  });
}

function route() {
  if (!token() || !context.user) {
    showOnly('login');
    return;
  }
  const [name, ...rest] = location.hash.replace(/^#/, '').split('/');
  const view = VIEWS[name] ? name : 'feed';
  showOnly(view);
  VIEWS[view].show?.(rest.map(decodeURIComponent));
}

async function start() {
  context.user = await request('/me');
  await context.refreshCollections();
  document.getElementById('user-name').textContent = context.user.name;
  document.getElementById('navigation').hidden = false;
  document.getElementById('session').hidden = false;
  if (!mounted) {
    for (const [name, view] of Object.entries(VIEWS)) {
      view.mount(document.getElementById(`view-${name}`), context);
    }
    mounted = true;
  }
  streamController = new AbortController();
  streamEvents('/feed', (event, data) => {
    if (event === 'object') {
      feed.receive(data);
      detection.receive(data);
    } else if (event === 'exchange') {
      feed.receiveExchange(data);
    } else if (event === 'notice') {
      feed.notice(data.message);
    }
  }, (connected) => feed.connection(connected), streamController.signal);
  route();
}

function stop() {
  streamController?.abort();
  streamController = null;
  context.user = null;
  document.getElementById('navigation').hidden = true;
  document.getElementById('session').hidden = true;
  // Forget everything shown to the previous user.
  location.reload();
}

document.getElementById('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = document.getElementById('login-error');
  error.textContent = '';
  try {
    await login(document.getElementById('login-user').value, document.getElementById('login-password').value);
    document.getElementById('login-password').value = '';
    await start();
  } catch (failure) {
    error.textContent = failure.message;
  }
});
document.getElementById('logout').addEventListener('click', () => signOut());
onSignedOut(stop);
window.addEventListener('hashchange', route);

if (token()) {
  start().catch(() => signOut());
} else {
  route();
}
