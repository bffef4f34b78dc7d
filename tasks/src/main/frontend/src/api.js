// The task service's REST API as the page uses it. The page relies on the service's own login form
// (/login), which sets a session cookie: every call here, and NiiVue's image downloads, carry it.

/** An error answered by the service: its JSON `error` and the `field` it names, if any. */
export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field ?? null;
  }
}

/** Sends the browser to the service's login form, coming back to this page afterwards. */
export function toLogin() {
  window.location.assign(new URL(`login?next=${encodeURIComponent(window.location.pathname)}`, document.baseURI));
}

/** Calls `path` (relative to the page's base) and returns the parsed JSON, null for 204. */
export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(new URL(path, document.baseURI), {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: reported below with the status
  }
  if (!response.ok) {
    throw new ApiError(response.status, json?.error ?? `${response.status} ${response.statusText}`, json?.field);
  }
  return json;
}

/** PUTs raw bytes (a file attached to a result) to `path`; returns the parsed JSON answer. */
export async function putBytes(path, bytes) {
  const response = await fetch(new URL(path, document.baseURI), {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
    credentials: 'same-origin',
    body: bytes,
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, json?.error ?? `${response.status} ${response.statusText}`, json?.field);
  return json;
}
