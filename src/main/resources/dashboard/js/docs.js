// The API reference, rendered from /openapi.json: the same document clients generate code from.
import { h } from './dom.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
let doc;

/** Text with `code` spans, as the document's descriptions write them. */
function prose(text) {
  return String(text || '').split('`').map((part, index) => (index % 2 ? h('code', {}, part) : part));
}

function resolve(schema) {
  if (schema && schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop()]) || {};
  return schema || {};
}

function refName(schema) {
  return schema && schema.$ref ? schema.$ref.split('/').pop() : null;
}

function typeOf(schema) {
  const name = refName(schema);
  if (name) return name;
  const resolved = resolve(schema);
  if (resolved.const !== undefined) return JSON.stringify(resolved.const);
  if (resolved.oneOf) return resolved.oneOf.map(typeOf).join(' | ');
  if (resolved.allOf) return resolved.allOf.map(typeOf).join(' & ');
  const type = Array.isArray(resolved.type) ? resolved.type.join(' | ') : (resolved.type || 'any');
  if (resolved.type === 'array' || (Array.isArray(resolved.type) && resolved.type.includes('array'))) {
    return `${typeOf(resolved.items)}[]`;
  }
  const extra = resolved.enum ? ` (${resolved.enum.join(', ')})` : resolved.format ? ` (${resolved.format})` : '';
  return `${type}${extra}`;
}

/** Properties of an object schema, allOf merged, so a table can list them. */
function properties(schema) {
  const resolved = resolve(schema);
  if (resolved.allOf) {
    return resolved.allOf.reduce((all, part) => {
      const next = properties(part);
      return { props: { ...all.props, ...next.props }, required: [...all.required, ...next.required] };
    }, { props: {}, required: [] });
  }
  return { props: resolved.properties || {}, required: resolved.required || [] };
}

function fieldTable(schema, depth = 0) {
  const resolved = resolve(schema);
  if (resolved.oneOf) {
    return h('div', {}, resolved.oneOf.map((option, index) => h('div', {}, h('p', { class: 'small muted' }, `Option ${index + 1}`),
      fieldTable(option, depth))));
  }
  if (resolved.type === 'array') return h('div', {}, h('p', { class: 'small muted' }, 'An array of:'), fieldTable(resolved.items, depth));
  const { props, required } = properties(schema);
  const names = Object.keys(props);
  if (!names.length) return h('p', { class: 'small muted' }, typeOf(schema), resolved.description ? ` — ${resolved.description}` : '');
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, h('th', {}, 'Field'), h('th', {}, 'Type'), h('th', {}, 'Description'))),
    h('tbody', {}, names.map((name) => {
      const field = props[name];
      const inner = resolve(field.type === 'array' ? field.items : field);
      const nested = depth < 2 && (inner.properties || inner.allOf) && !refName(field) && !refName(field.items)
        ? h('div', { class: 'nested' }, fieldTable(field.type === 'array' ? field.items : field, depth + 1)) : null;
      return h('tr', {},
        h('td', {}, h('span', { class: 'field-name' }, name), required.includes(name) ? h('span', { class: 'required' }, 'required') : null),
        h('td', {}, h('span', { class: 'field-type' }, typeOf(field))),
        h('td', {}, resolve(field).description || '', nested));
    }))));
}

function schemaLink(schema) {
  const name = refName(schema) || refName(resolve(schema).items);
  return name ? h('a', { href: `#schema-${name}` }, name) : h('span', { class: 'field-type' }, typeOf(schema));
}

function parameterTable(parameters) {
  const list = parameters.map((parameter) => (parameter.$ref
    ? doc.components.parameters[parameter.$ref.split('/').pop()] : parameter));
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, h('th', {}, 'Parameter'), h('th', {}, 'In'), h('th', {}, 'Type'), h('th', {}, 'Description'))),
    h('tbody', {}, list.map((parameter) => h('tr', {},
      h('td', {}, h('span', { class: 'field-name' }, parameter.name), parameter.required ? h('span', { class: 'required' }, 'required') : null),
      h('td', {}, parameter.in), h('td', {}, h('span', { class: 'field-type' }, typeOf(parameter.schema))),
      h('td', {}, parameter.description || ''))))));
}

function responseTable(responses) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, h('th', {}, 'Status'), h('th', {}, 'Meaning'), h('th', {}, 'Body'))),
    h('tbody', {}, Object.entries(responses).map(([status, response]) => {
      const resolved = response.$ref ? doc.components.responses[response.$ref.split('/').pop()] : response;
      const content = resolved.content || {};
      return h('tr', {},
        h('td', {}, h('span', { class: `status status-${status[0]}` }, status)),
        h('td', {}, resolved.description || ''),
        h('td', {}, Object.entries(content).map(([type, media]) => h('div', {}, h('span', { class: 'small muted' }, `${type} `),
          media.schema ? schemaLink(media.schema) : ''))));
    }))));
}

function authOf(operation) {
  const security = operation.security || doc.security || [];
  if (!security.length) return 'no auth';
  return security.map((requirement) => Object.keys(requirement).join(' + ')).join(' or ');
}

function operationId(method, path) {
  return `op-${method}-${path.replace(/[^a-zA-Z0-9]+/g, '-')}`;
}

function renderOperation(method, path, operation) {
  const body = operation.requestBody && operation.requestBody.content;
  return h('section', { class: 'card operation', id: operationId(method, path), dataset: { method, path } },
    h('div', { class: 'operation-head' }, h('span', { class: `method method-${method}` }, method.toUpperCase()),
      h('code', { class: 'path' }, path), h('span', { class: 'auth-badge' }, authOf(operation))),
    h('h2', {}, operation.summary || ''),
    operation.description ? h('p', { class: 'muted' }, prose(operation.description)) : null,
    operation.parameters ? [h('h4', {}, 'Parameters'), parameterTable(operation.parameters)] : null,
    body ? Object.entries(body).map(([type, media]) => [h('h4', {}, `Request body · ${type}`), fieldTable(media.schema)]) : null,
    h('h4', {}, 'Responses'), responseTable(operation.responses));
}

function render() {
  const main = document.querySelector('#docs-main');
  const byTag = new Map((doc.tags || []).map((tag) => [tag.name, { tag, operations: [] }]));
  Object.entries(doc.paths).forEach(([path, item]) => METHODS.filter((method) => item[method]).forEach((method) => {
    const tag = (item[method].tags || ['Other'])[0];
    if (!byTag.has(tag)) byTag.set(tag, { tag: { name: tag }, operations: [] });
    byTag.get(tag).operations.push({ method, path, operation: item[method] });
  }));
  const schemes = doc.components.securitySchemes;
  main.replaceChildren(...[
    h('h1', {}, doc.info.title, h('span', { class: 'muted small' }, ` ${doc.info.version} · OpenAPI ${doc.openapi}`)),
    h('p', { class: 'intro' }, prose(doc.info.description)),
    h('h2', { class: 'tag-title' }, 'Authentication'),
    h('div', { class: 'auth-schemes' }, Object.entries(schemes).map(([name, scheme]) => h('div', { class: 'card' },
      h('strong', {}, name), h('p', { class: 'small muted' }, scheme.description || scheme.type)))),
    [...byTag.values()].filter((group) => group.operations.length).map((group) => [
      h('h2', { class: 'tag-title', id: `tag-${group.tag.name}` }, group.tag.name),
      group.tag.description ? h('p', { class: 'muted' }, group.tag.description) : null,
      group.operations.map(({ method, path, operation }) => renderOperation(method, path, operation))]),
    h('h2', { class: 'tag-title' }, 'Schemas'),
    Object.keys(doc.components.schemas).map((name) => h('section', { class: 'card operation', id: `schema-${name}` },
      h('h2', {}, name), resolve({ $ref: `#/components/schemas/${name}` }).description
        ? h('p', { class: 'muted' }, resolve({ $ref: `#/components/schemas/${name}` }).description) : null,
      fieldTable({ $ref: `#/components/schemas/${name}` })))].flat(Infinity));
  document.querySelector('#docs-toc').replaceChildren(...[...byTag.values()].filter((group) => group.operations.length)
    .map((group) => [h('h3', {}, group.tag.name), h('ul', {}, group.operations.map(({ method, path, operation }) => h('li', {},
      h('a', { href: `#${operationId(method, path)}`, title: operation.summary },
        h('span', { class: `method method-${method}` }, method.toUpperCase()), h('span', {}, path)))))]).flat());
  document.body.dataset.state = 'ready';
}

fetch('/openapi.json').then((response) => response.json()).then((document_) => { doc = document_; render(); })
  .catch((failure) => {
    document.querySelector('#docs-main').textContent = `Could not load /openapi.json: ${failure}`;
  });
