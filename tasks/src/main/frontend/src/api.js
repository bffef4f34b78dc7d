// The task service's REST API as the page uses it. Credentials stay in sessionStorage (per tab) and are
// sent as HTTP Basic on every call, images included, so the page needs no cookie session.

const KEY = 'cohortflow-tasks-auth';

/** An error answered by the service: its JSON `error` and the `field` it names, if any. */
export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field ?? null;
  }
}

export function login(user, password) {
  sessionStorage.setItem(KEY, 'Basic ' + btoa(unescape(encodeURIComponent(`${user}:${password}`))));
}

export function logout() {
  sessionStorage.removeItem(KEY);
}

export function authHeaders() {
  const auth = sessionStorage.getItem(KEY);
  return auth ? { Authorization: auth } : {};
}

export function loggedIn() {
  return sessionStorage.getItem(KEY) !== null;
}

/** Calls `path` (relative to the page's base) and returns the parsed JSON, null for 204. */
export async function call(method, path, body) {
  const headers = { ...authHeaders(), Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(new URL(path, document.baseURI), {
    method,
    headers,
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
