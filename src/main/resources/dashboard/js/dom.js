// Small helpers to build the pages without a framework.
import * as format from './format.js';
import { icon } from './icons.js';

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (value === null || value === undefined || value === false) return;
    if (name === 'class') element.className = value;
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : value);
  });
  children.flat(Infinity).forEach((child) => {
    if (child === null || child === undefined || child === false) return;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  });
  return element;
}

/** A card with a big number; data-metric lets tests and people find it. */
export function card(metric, label, value, detail) {
  return h('div', { class: 'card stat', dataset: { metric } },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value' }, value),
    detail ? h('div', { class: 'stat-detail' }, detail) : null);
}

export function cards(...items) {
  return h('div', { class: 'cards' }, items);
}

export function panel(title, body, { actions = [], wide = false, name } = {}) {
  return h('section', { class: `card panel${wide ? ' wide' : ''}`, dataset: name ? { panel: name } : undefined },
    h('div', { class: 'panel-head' }, h('h2', {}, title), h('div', { class: 'panel-actions' }, actions)),
    body);
}

export function chartBox(name, tall = false) {
  return h('div', { class: `chart-box${tall ? ' tall' : ''}` }, h('canvas', { dataset: { chart: name }, role: 'img',
    'aria-label': name }));
}

/**
 * A table; columns are {label, value(row), kind: 'num'|'text', total(rows)?}. An empty table says so,
 * so nobody mistakes "no data" for "still loading".
 */
export function table(name, columns, rows, { empty = 'Nothing in this range.' } = {}) {
  if (!rows.length) return h('p', { class: 'empty', dataset: { table: name } }, empty);
  const head = h('tr', {}, columns.map((column) => h('th', { class: column.kind === 'num' ? 'num' : '' },
    column.label)));
  const body = rows.map((row) => h('tr', {}, columns.map((column) => h('td', {
    class: column.kind === 'num' ? 'num' : '', 'data-label': column.label,
  }, column.value(row)))));
  return h('div', { class: 'table-wrap' }, h('table', { dataset: { table: name } },
    h('thead', {}, head), h('tbody', {}, body)));
}

export function csvButton(onClick, label = 'CSV') {
  const button = h('button', { type: 'button', class: 'ghost small-button', title: 'Download as CSV' }, `⤓ ${label}`);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try { await onClick(); } catch (failure) { alert(`Download failed: ${failure.message}`); }
    finally { button.disabled = false; }
  });
  return button;
}

export function loading() {
  return h('div', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Loading…');
}

/**
 * What a failed request means to a person: a missing scope is named (the 403's reason), a bad key
 * sends them to sign in again, anything else shows the server's reason.
 */
export function failure(error, { page, needs } = {}) {
  if (error.status === 403) {
    const scopes = JSON.parse(sessionStorage.getItem('tally.scopes') || '[]');
    return h('div', { class: 'card notice notice-denied', dataset: { error: 'forbidden' } },
      h('h2', { class: 'notice-title' }, h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, icon('lock')),
        'This key cannot open ', page || 'this page'),
      h('p', { class: 'reason' }, error.reason),
      needs ? h('p', {}, 'Needed scope: ', h('code', { class: 'missing-scope' }, needs)) : null,
      h('p', { class: 'muted' }, 'Your key has: ', scopes.length ? scopes.map((scope) => h('code', {}, scope)) : 'no scopes',
        '. Ask an operator for a key with the scope above, then sign in with it.'));
  }
  if (error.status === 401) {
    return h('div', { class: 'card notice notice-error', dataset: { error: 'unauthorized' } },
      h('h2', {}, 'Your key is no longer accepted'), h('p', { class: 'reason' }, error.reason),
      h('p', {}, h('a', { href: '#', onclick: (event) => { event.preventDefault(); window.dispatchEvent(new Event('tally:signout')); } },
        'Sign in again')));
  }
  return h('div', { class: 'card notice notice-error', dataset: { error: String(error.status || 'network') } },
    h('h2', {}, error.status ? `The server answered ${error.status}` : 'No answer'),
    h('p', { class: 'reason' }, error.reason || String(error)));
}

export { format };
