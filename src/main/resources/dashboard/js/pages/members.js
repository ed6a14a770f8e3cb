// Member usage: pick a member (GET /api/v2/w/{id}/members), then their report for the range.
import { getJson, query, downloadCsv, workspacePath, session } from '../api.js';
import { h, card, cards, panel, table, csvButton, loading, failure, format } from '../dom.js';

let selectedMember = null;

async function memberReport(target, memberId, range) {
  target.replaceChildren(loading());
  const path = workspacePath(`/reports/member-usage/${encodeURIComponent(memberId)}`
    + `${query({ start_date: range.from, end_date: range.to })}`);
  try {
    const report = await getJson(path);
    target.replaceChildren(
      h('div', { class: 'page-filters' }, h('span', { class: 'muted' }, `${report.memberId} · ${format.day(report.startDate)} – ${format.day(report.endDate)}`),
        csvButton(() => downloadCsv(path, `member-usage-${memberId}-${range.from}-${range.to}.csv`))),
      cards(
        card('member-chats', 'Chats', format.integer(report.totalChats), 'created by this member'),
        card('member-messages', 'Messages', format.integer(report.totalMessages), 'in this member\'s chats'),
        card('member-credits', 'Credits', format.decimal(report.totalCredits), 'AI usage on their behalf')));
  } catch (error) {
    const own = memberId === session.memberId;
    target.replaceChildren(failure(error, { page: `${memberId}'s usage`, needs: own ? 'members:read' : 'analytics:read' }));
  }
}

async function render(container, { range }) {
  container.replaceChildren(loading());
  const listPath = workspacePath('/members');
  let list;
  try {
    list = (await getJson(listPath)).members;
  } catch (error) {
    container.replaceChildren(failure(error, { page: 'the member list', needs: 'members:read' }));
    return;
  }
  if (!list.length) {
    container.replaceChildren(h('div', { class: 'card notice' }, h('h2', {}, 'No members yet'),
      h('p', {}, 'Members appear here once events name a member_id.')));
    return;
  }
  const ids = list.map((member) => member.member_id);
  if (!ids.includes(selectedMember)) selectedMember = ids.includes(session.memberId) ? session.memberId : ids[0];
  const reportArea = h('div', { class: 'member-report' });
  const picker = h('select', { id: 'member-picker', 'aria-label': 'Member' },
    list.map((member) => h('option', { value: member.member_id, selected: member.member_id === selectedMember },
      member.member_id === session.memberId ? `${member.member_id} (you)` : member.member_id)));
  picker.addEventListener('change', () => { selectedMember = picker.value; memberReport(reportArea, selectedMember, range); });
  container.replaceChildren(
    h('div', { class: 'page-filters' }, h('label', { class: 'filter' }, 'Member ', picker)),
    reportArea,
    h('div', { class: 'grid' }, panel('All members (all time)', table('members', [
      { label: 'Member', value: (row) => row.member_id },
      { label: 'First seen', value: (row) => format.dateTime(row.first_seen) },
      { label: 'Last seen', value: (row) => format.dateTime(row.last_seen) },
      { label: 'Chats', kind: 'num', value: (row) => format.integer(row.chats) },
      { label: 'Messages', kind: 'num', value: (row) => format.integer(row.messages) },
    ], list), { wide: true, name: 'members', actions: [csvButton(() => downloadCsv(listPath, 'members.csv'))] })));
  await memberReport(reportArea, selectedMember, range);
}

export default {
  id: 'members', title: 'Member usage', short: 'Members', needs: ['analytics:read', 'members:read'], render,
};
