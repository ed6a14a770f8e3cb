// SMS, phone and voice usage: three workspace reports, daily charts and per-number / per-provider tables.
import { getJson, query, downloadCsv, workspacePath } from '../api.js';
import { h, card, cards, panel, chartBox, table, csvButton, failure, loading, format } from '../dom.js';
import { everyDay, dailySeries, groupSum } from '../dates.js';
import * as charts from '../charts.js';

function section(title, name, csv, body) {
  return h('section', { class: 'report-section', dataset: { section: name } },
    h('div', { class: 'section-head' }, h('h2', {}, title), csv), body);
}

function sms(container, report, days, csv) {
  const numbers = groupSum(report.rows, (row) => row.phoneNumber || '(none)',
    ['inbound', 'outbound', 'inboundSegments', 'outboundSegments', 'characters'])
    .sort((a, b) => (b.inbound + b.outbound) - (a.inbound + a.outbound));
  container.append(section('SMS', 'sms', csv, [
    cards(
      card('sms-messages', 'Messages', format.integer(report.totalMessages),
        `${format.integer(report.totalInbound)} in · ${format.integer(report.totalOutbound)} out`),
      card('sms-segments', 'Segments', format.integer(report.totalSegments),
        `${format.integer(report.totalInboundSegments)} in · ${format.integer(report.totalOutboundSegments)} out`),
      card('sms-characters', 'Characters', format.integer(report.totalCharacters), 'sent and received')),
    h('div', { class: 'grid' },
      panel('Messages per day', chartBox('sms-daily'), { wide: true }),
      panel('By phone number', table('sms-numbers', [
        { label: 'Number', value: (row) => row.key },
        { label: 'Inbound', kind: 'num', value: (row) => format.integer(row.inbound) },
        { label: 'Outbound', kind: 'num', value: (row) => format.integer(row.outbound) },
        { label: 'Segments', kind: 'num', value: (row) => format.integer(row.inboundSegments + row.outboundSegments) },
        { label: 'Characters', kind: 'num', value: (row) => format.integer(row.characters) },
      ], numbers), { wide: true })),
  ]));
  charts.draw(container, 'sms-daily', stackedDaily(days, [
    { label: 'Inbound', data: dailySeries(days, report.rows, (row) => row.inbound), backgroundColor: '#0ea5e9' },
    { label: 'Outbound', data: dailySeries(days, report.rows, (row) => row.outbound), backgroundColor: '#4f46e5' },
  ]));
}

function phone(container, report, days, csv) {
  const numbers = groupSum(report.rows, (row) => row.phoneNumber || '(none)', ['inbound', 'outbound', 'totalDurationSeconds'])
    .sort((a, b) => (b.inbound + b.outbound) - (a.inbound + a.outbound));
  container.append(section('Phone', 'phone', csv, [
    cards(
      card('phone-calls', 'Finished calls', format.integer(report.totalCalls),
        `${format.integer(report.totalInbound)} in · ${format.integer(report.totalOutbound)} out`),
      card('phone-minutes', 'Talk time', format.minutes(report.totalDurationSeconds / 60), format.duration(report.totalDurationSeconds)),
      card('phone-average', 'Average call',
        format.duration(report.totalCalls ? report.totalDurationSeconds / report.totalCalls : null), 'per finished call')),
    h('div', { class: 'grid' },
      panel('Calls per day', chartBox('phone-daily'), { wide: true }),
      panel('By phone number', table('phone-numbers', [
        { label: 'Number', value: (row) => row.key },
        { label: 'Inbound', kind: 'num', value: (row) => format.integer(row.inbound) },
        { label: 'Outbound', kind: 'num', value: (row) => format.integer(row.outbound) },
        { label: 'Minutes', kind: 'num', value: (row) => format.minutes(row.totalDurationSeconds / 60) },
        { label: 'Average', kind: 'num', value: (row) => format.duration(row.totalDurationSeconds / Math.max(1, row.inbound + row.outbound)) },
      ], numbers), { wide: true })),
  ]));
  const config = stackedDaily(days, [
    { label: 'Inbound', data: dailySeries(days, report.rows, (row) => row.inbound), backgroundColor: '#10b981' },
    { label: 'Outbound', data: dailySeries(days, report.rows, (row) => row.outbound), backgroundColor: '#0ea5e9' },
  ]);
  config.data.datasets.push({ type: 'line', label: 'Minutes', yAxisID: 'minutes', borderColor: '#f59e0b',
    backgroundColor: '#f59e0b', cubicInterpolationMode: 'monotone', pointRadius: days.length > 40 ? 0 : 2,
    data: dailySeries(days, report.rows, (row) => row.totalDurationSeconds / 60).map((value) => Math.round(value * 100) / 100) });
  config.options.scales.minutes = charts.countAxis('right', ' min');
  charts.draw(container, 'phone-daily', config);
}

function voice(container, report, days, csv) {
  const providerColumns = (measure) => [
    { label: 'Provider', value: (row) => row.provider || '(none)' },
    { label: 'Model', value: (row) => row.model || '(none)' },
    measure,
    { label: 'Requests', kind: 'num', value: (row) => format.integer(row.messages) },
  ];
  container.append(section('Voice (speech-to-text and text-to-speech)', 'voice', csv, [
    cards(
      card('stt-minutes', 'Audio transcribed', format.minutes(report.totalSttDurationSeconds / 60),
        format.count(report.totalSttMessages, 'transcription')),
      card('tts-characters', 'Characters spoken', format.integer(report.totalTtsCharacters),
        format.count(report.totalTtsMessages, 'synthesis', 'syntheses'))),
    h('div', { class: 'grid' },
      panel('Voice per day', chartBox('voice-daily'), { wide: true }),
      panel('Speech-to-text by provider', table('stt-providers', providerColumns(
        { label: 'Minutes', kind: 'num', value: (row) => format.minutes(row.durationSeconds / 60) }), report.sttByProvider)),
      panel('Text-to-speech by provider', table('tts-providers', providerColumns(
        { label: 'Characters', kind: 'num', value: (row) => format.integer(row.characters) }), report.ttsByProvider))),
  ]));
  charts.draw(container, 'voice-daily', {
    type: 'bar',
    data: {
      labels: days.map(format.day),
      datasets: [
        { label: 'STT minutes', yAxisID: 'minutes', backgroundColor: '#8b5cf6', borderRadius: 3,
          data: dailySeries(days, report.sttRows, (row) => row.durationSeconds / 60).map((value) => Math.round(value * 100) / 100) },
        { type: 'line', label: 'TTS characters', yAxisID: 'characters', borderColor: '#ec4899', backgroundColor: '#ec4899',
          cubicInterpolationMode: 'monotone', pointRadius: days.length > 40 ? 0 : 2, data: dailySeries(days, report.ttsRows, (row) => row.characters) },
      ],
    },
    options: { interaction: { mode: 'index', intersect: false },
      scales: { x: charts.dayAxis(), minutes: charts.countAxis('left', ' min'), characters: charts.countAxis('right') } },
  });
}

function stackedDaily(days, datasets) {
  return {
    type: 'bar',
    data: { labels: days.map(format.day), datasets: datasets.map((set) => ({ ...set, borderRadius: 3, stack: 'count' })) },
    options: { interaction: { mode: 'index', intersect: false },
      scales: { x: { ...charts.dayAxis(), stacked: true }, y: { ...charts.countAxis('left'), stacked: true } } },
  };
}

async function render(container, { range }) {
  container.replaceChildren(loading());
  const parameters = query({ start_date: range.from, end_date: range.to });
  const reports = [
    { name: 'sms', title: 'SMS usage', draw: sms },
    { name: 'phone', title: 'phone usage', draw: phone },
    { name: 'voice', title: 'voice usage', draw: voice },
  ].map((report) => ({ ...report, path: workspacePath(`/reports/${report.name}-usage${parameters}`) }));
  const answers = await Promise.allSettled(reports.map((report) => getJson(report.path)));
  const days = everyDay(range.from, range.to);
  container.replaceChildren();
  if (answers.every((answer) => answer.status === 'rejected')) {
    // One key, one reason: say it once rather than three times.
    container.append(failure(answers[0].reason, { page: 'SMS, phone and voice usage', needs: 'analytics:read' }));
    return;
  }
  reports.forEach((report, index) => {
    const answer = answers[index];
    if (answer.status === 'rejected') {
      container.append(section(report.title, report.name, null,
        failure(answer.reason, { page: report.title, needs: 'analytics:read' })));
      return;
    }
    const csv = csvButton(() => downloadCsv(report.path, `${report.name}-usage-${range.from}-${range.to}.csv`));
    report.draw(container, answer.value, days, csv);
  });
}

export default {
  id: 'communications', title: 'SMS, phone and voice', short: 'SMS · Phone · Voice',
  needs: ['analytics:read'], render,
};
