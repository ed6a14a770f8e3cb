// The dashboard shell: sign-in, navigation, the date range, and one page at a time.
import { session, whoami, getJson, query, RequestFailed } from './api.js';
import { addDays, todayUtc, daysBetween } from './dates.js';
import { h } from './dom.js';
import { icon } from './icons.js';
import * as charts from './charts.js';
import spend from './pages/spend.js';
import callCosts from './pages/callcosts.js';
import ai from './pages/ai.js';
import communications from './pages/communications.js';
import members from './pages/members.js';
import stats from './pages/stats.js';
import live from './pages/live.js';
import budgets from './pages/budgets.js';

const PAGES = [spend, callCosts, ai, communications, members, stats, budgets, live];
const RANGE_KEY = 'tally.range';
const DEFAULT_DAYS = 30;

const state = { range: null, today: null, cleanup: null, page: null, generation: 0 };
const $ = (selector) => document.querySelector(selector);

function pageFromHash() {
  const id = window.location.hash.replace(/^#\/?/, '');
  return PAGES.find((page) => page.id === id) || PAGES[0];
}

function storeRange(range) {
  state.range = range;
  sessionStorage.setItem(RANGE_KEY, JSON.stringify(range));
  $('#range-from').value = range.from;
  $('#range-to').value = range.to;
  document.querySelectorAll('.presets button').forEach((button) => {
    const days = Number(button.dataset.days);
    button.classList.toggle('active', range.to === state.today && daysBetween(range.from, range.to) === days - 1);
  });
}

/**
 * "Today" is the server's, not this browser's: the spend report echoes its default range, which
 * ends on the server's today. A key that cannot read it falls back to the browser's UTC date.
 */
async function serverToday() {
  try {
    const overview = await getJson(`/v1/analytics/spend${query({})}`);
    return overview.filters.to;
  } catch (failure) {
    if (!(failure instanceof RequestFailed)) throw failure;
    try {
      const report = await getJson(`/api/v2/w/${encodeURIComponent(session.workspace)}/reports/member-usage/`
        + `${encodeURIComponent(session.memberId || '-')}`);
      return report.endDate;
    } catch (alsoDenied) {
      return todayUtc();
    }
  }
}

function renderNav() {
  const nav = $('#nav');
  nav.replaceChildren(...PAGES.map((page) => {
    const locked = page.needs && !page.needs.some((scope) => session.has(scope));
    return h('a', { href: `#${page.id}`, class: 'nav-link', dataset: { page: page.id },
      title: locked ? `Needs ${page.needs.join(' or ')}` : page.title },
      h('span', { class: 'nav-icon', 'aria-hidden': 'true' }, icon(page.id)),
      h('span', { class: 'nav-text' }, page.short || page.title),
      locked ? h('span', { class: 'lock', 'aria-label': 'scope missing' }, icon('lock')) : null);
  }));
}

async function show() {
  if (!session.signedIn) return;
  const page = pageFromHash();
  // A render still waiting for its data when another page is asked for must not land: it renders
  // into a container of its own, and only the latest one is in the document.
  const generation = ++state.generation;
  if (state.cleanup) { state.cleanup(); state.cleanup = null; }
  charts.destroyAll();
  state.page = page;
  document.querySelectorAll('.nav-link').forEach((link) => link.classList.toggle('active', link.dataset.page === page.id));
  // On a phone the navigation scrolls sideways; keep the open page's tab in sight.
  const active = document.querySelector('.nav-link.active');
  if (active && active.parentElement.scrollWidth > active.parentElement.clientWidth) {
    active.parentElement.scrollLeft = active.offsetLeft - (active.parentElement.clientWidth - active.offsetWidth) / 2;
  }
  $('#page-title').textContent = page.title;
  document.title = `${page.title} · Tally`;
  $('#range').hidden = page.usesRange === false;
  const host = $('#page');
  const container = h('div', { class: 'page-body' });
  host.replaceChildren(container);
  host.dataset.page = page.id;
  host.dataset.state = 'loading';
  let cleanup = null;
  try {
    cleanup = await page.render(container, { range: state.range, session }) || null;
  } catch (failure) {
    container.replaceChildren(h('div', { class: 'card notice notice-error' }, h('h2', {}, 'This page failed'),
      h('p', { class: 'reason' }, String(failure && failure.message || failure))));
    console.error(failure);
  }
  if (generation !== state.generation) {
    if (cleanup) cleanup();
    return;
  }
  state.cleanup = cleanup;
  host.dataset.state = 'ready';
}

async function enterApp() {
  $('#signin').hidden = true;
  $('#app').hidden = false;
  $('#who-workspace').textContent = session.workspace;
  $('#who-scopes').textContent = session.scopes.join(' · ') || 'no scopes';
  renderNav();
  state.today = await serverToday();
  const saved = JSON.parse(sessionStorage.getItem(RANGE_KEY) || 'null');
  storeRange(saved || { from: addDays(state.today, -(DEFAULT_DAYS - 1)), to: state.today });
  await show();
}

function showSignIn(message) {
  if (state.cleanup) { state.cleanup(); state.cleanup = null; }
  charts.destroyAll();
  $('#app').hidden = true;
  $('#signin').hidden = false;
  const error = $('#signin-error');
  error.hidden = !message;
  error.textContent = message || '';
  $('#signin-key').focus();
}

async function signIn(event) {
  event.preventDefault();
  const key = $('#signin-key').value.trim();
  const workspace = $('#signin-workspace').value.trim();
  const button = $('#signin-submit');
  button.disabled = true;
  try {
    const me = await whoami(key);
    if (!me.tenant_id) {
      showSignIn('This is a platform key: it belongs to no workspace. Sign in with a workspace (tenant) key.');
      return;
    }
    if (workspace && workspace !== me.tenant_id) {
      showSignIn(`This key belongs to workspace "${me.tenant_id}", not "${workspace}". Leave the workspace empty to use the key's.`);
      return;
    }
    session.signIn(key, me);
    $('#signin-key').value = '';
    // A fresh document: no page keeps anything of a workspace signed in before in this tab.
    window.location.reload();
  } catch (failure) {
    showSignIn(failure.status === 401 ? `Sign-in failed: ${failure.reason}` : `Sign-in failed: ${failure.message}`);
  } finally {
    button.disabled = false;
  }
}

function applyRange(range) {
  if (!range.from || !range.to) return;
  if (range.to < range.from) {
    alert('The end date is before the start date.');
    return;
  }
  storeRange(range);
  show();
}

function signOut() {
  session.signOut();
  sessionStorage.removeItem(RANGE_KEY);
  // Pages keep what they saw of a workspace (its agents, the selected agent, its members) in their
  // modules; reloading the document is the reset that cannot forget one.
  window.location.hash = '';
  window.location.reload();
}

function wire() {
  $('#signin-form').addEventListener('submit', signIn);
  $('#signout').addEventListener('click', signOut);
  window.addEventListener('tally:signout', signOut);
  window.addEventListener('hashchange', show);
  $('#range-apply').addEventListener('click', () => applyRange({ from: $('#range-from').value, to: $('#range-to').value }));
  document.querySelectorAll('.presets button').forEach((button) => button.addEventListener('click', () => {
    const days = Number(button.dataset.days);
    applyRange({ from: addDays(state.today, -(days - 1)), to: state.today });
  }));
}

wire();
if (session.signedIn) enterApp(); else showSignIn();
