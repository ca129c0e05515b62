// The console API client: bearer token in this tab's session storage, JSON in and out.
const TOKEN_KEY = 'vigie.console.token';
const API = '/console/api';
const signedOutListeners = [];

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function onSignedOut(listener) {
  signedOutListeners.push(listener);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  signedOutListeners.forEach((listener) => listener());
}

function utf8Base64(text) {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

export async function login(user, password) {
  const response = await fetch(`${API}/login`, {
    method: 'POST',
    headers: { Authorization: `Basic ${utf8Base64(`${user}:${password}`)}`, Accept: 'application/json' },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(response.status === 401 ? 'Wrong user name or password.' : (body.description || `sign-in failed (${response.status})`));
  }
  sessionStorage.setItem(TOKEN_KEY, body.token);
  return body.user;
}

export async function request(path, { method = 'GET', json, body, contentType, raw = false } = {}) {
  const headers = { Authorization: `Bearer ${token()}`, Accept: 'application/json' };
  let payload = body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(json);
  } else if (contentType) {
    headers['Content-Type'] = contentType;
  }
  const response = await fetch(`${API}${path}`, { method, headers, body: payload });
  if (response.status === 401) {
    signOut();
    throw new Error('Your session ended; sign in again.');
  }
  if (!response.ok) {
    const error = await response.json().catch(() => ({}));
    throw new Error(error.description || `${method} ${path} failed (${response.status})`);
  }
  return raw ? response : response.json();
}

// Server-sent events over fetch (EventSource cannot send the bearer token). Reconnects until aborted,
// sending the id of the last message as Last-Event-ID so the server resumes with no gap and no duplicate.
export function streamEvents(path, onEvent, onState, signal) {
  let lastEventId = null;
  const run = async () => {
    while (!signal.aborted) {
      try {
        const headers = { Authorization: `Bearer ${token()}`, Accept: 'text/event-stream' };
        if (lastEventId) {
          headers['Last-Event-ID'] = lastEventId;
        }
        const response = await fetch(`${API}${path}`, { headers, signal });
        if (response.status === 401) {
          signOut();
          return;
        }
        if (!response.ok || !response.body) {
          throw new Error(`feed answered ${response.status}`);
        }
        onState(true);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            let id = null;
            const data = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) {
                event = line.slice(6).trim();
              } else if (line.startsWith('data:')) {
                data.push(line.slice(5).trimStart());
              } else if (line.startsWith('id:')) {
                id = line.slice(3).trim();
              }
            }
            if (data.length > 0) {
              onEvent(event, JSON.parse(data.join('\n')));
            }
            // Kept only once the message is handled: a resumption starts after it.
            if (id) {
              lastEventId = id;
            }
          }
        }
      } catch (error) {
        if (signal.aborted) {
          return;
        }
      }
      onState(false);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  };
  run();
}
