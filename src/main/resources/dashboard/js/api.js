// Talking to Tally with the signed-in key. The key lives in sessionStorage only: it is gone when the tab closes.

const KEYS = {
  key: 'tally.key', workspace: 'tally.workspace', scopes: 'tally.scopes', member: 'tally.member',
  admin: 'tally.adminToken', today: 'tally.today',
};

export const session = {
  get key() { return sessionStorage.getItem(KEYS.key); },
  get workspace() { return sessionStorage.getItem(KEYS.workspace); },
  get scopes() { return JSON.parse(sessionStorage.getItem(KEYS.scopes) || '[]'); },
  get memberId() { return sessionStorage.getItem(KEYS.member) || null; },
  get adminToken() { return sessionStorage.getItem(KEYS.admin); },
  set adminToken(token) {
    if (token) sessionStorage.setItem(KEYS.admin, token); else sessionStorage.removeItem(KEYS.admin);
  },
  get signedIn() { return Boolean(this.key && this.workspace); },
  has(scope) { return this.scopes.includes(scope); },
  signIn(key, whoami) {
    sessionStorage.setItem(KEYS.key, key);
    sessionStorage.setItem(KEYS.workspace, whoami.tenant_id);
    sessionStorage.setItem(KEYS.scopes, JSON.stringify(whoami.scopes || []));
    if (whoami.member_id) sessionStorage.setItem(KEYS.member, whoami.member_id);
    else sessionStorage.removeItem(KEYS.member);
  },
  signOut() { Object.values(KEYS).forEach((name) => sessionStorage.removeItem(name)); },
};

/** A failed request, with the server's own words for why (the 403's missing scope, the 400's parameter). */
export class RequestFailed extends Error {
  constructor(status, reason, body) {
    super(reason);
    this.status = status;
    this.reason = reason;
    this.body = body;
  }
}

function reasonOf(status, body, fallback) {
  if (body && typeof body === 'object') {
    return body.reason || body.detail || body.message || fallback;
  }
  return fallback || `HTTP ${status}`;
}

async function send(path, { method = 'GET', body, auth = 'bearer', key = session.key, accept } = {}) {
  const headers = {};
  if (auth === 'bearer') headers.Authorization = `Bearer ${key}`;
  if (auth === 'basic') headers.Authorization = `Basic ${btoa(`api:${key}`)}`;
  if (auth === 'admin') headers['X-Admin-Token'] = session.adminToken || '';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (accept) headers.Accept = accept;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (offline) {
    throw new RequestFailed(0, 'Tally did not answer: is the server running?', null);
  }
  if (!response.ok) {
    let parsed = null;
    try { parsed = await response.json(); } catch (notJson) { /* the status alone says it */ }
    throw new RequestFailed(response.status, reasonOf(response.status, parsed, response.statusText), parsed);
  }
  return response;
}

export async function getJson(path, options) {
  return (await send(path, options)).json();
}

export async function postJson(path, body, options = {}) {
  return (await send(path, { ...options, method: 'POST', body })).json();
}

export function workspacePath(suffix) {
  return `/api/v2/w/${encodeURIComponent(session.workspace)}${suffix}`;
}

export function query(params) {
  const search = new URLSearchParams();
  Object.entries(params).forEach(([name, value]) => {
    if (value !== null && value !== undefined && value !== '') search.set(name, value);
  });
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Fetches the report again as CSV with the key, and saves it: a plain link could not carry the key. */
export async function downloadCsv(path, fileName, options = {}) {
  const separator = path.includes('?') ? '&' : '?';
  const response = await send(`${path}${separator}format=csv`, { ...options, accept: 'text/csv' });
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function whoami(key) {
  return getJson('/v1/whoami', { key });
}
