// The /docs reference page, rendered on the server from the merged OpenAPI document: plain
// HTML and one stylesheet, no scripts and nothing from a CDN (the page must work offline).
import type { OpenApiDoc } from '../domain/openapi-merge';

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, unknown>[];
  'x-roles'?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const json = (value: unknown) => `<pre>${escape(JSON.stringify(value, null, 2))}</pre>`;

function access(operation: Operation): string {
  if (operation.security && operation.security.length === 0) return 'public';
  const roles = operation['x-roles'];
  return roles ? `access token, role ${roles.map(escape).join(' or ')}` : 'access token';
}

function schemaOf(content: Record<string, { schema?: unknown }> | undefined): string {
  const entry = content ? Object.entries(content)[0] : undefined;
  if (!entry) return '';
  return `<details><summary>${escape(entry[0])}</summary>${json(entry[1].schema ?? {})}</details>`;
}

function renderOperation(method: string, path: string, operation: Operation): string {
  const id = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-');
  const parameters = (operation.parameters ?? [])
    .map(
      (p) =>
        `<tr><td><code>${escape(p.name)}</code></td><td>${escape(p.in)}</td><td>${p.required ? 'required' : 'optional'}</td><td>${escape(p.description ?? '')}</td></tr>`,
    )
    .join('');
  const responses = Object.entries(operation.responses ?? {})
    .map(
      ([status, r]) =>
        `<li><strong>${escape(status)}</strong> ${escape(r.description ?? '')}${schemaOf(r.content)}</li>`,
    )
    .join('');
  return `<section class="op" id="${id}">
<h3><span class="method ${escape(method)}">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code></h3>
<p>${escape(operation.summary ?? '')} <span class="access">${access(operation)}</span></p>
${operation.description ? `<p class="description">${escape(operation.description)}</p>` : ''}
${parameters ? `<table><tr><th>parameter</th><th>in</th><th></th><th></th></tr>${parameters}</table>` : ''}
${operation.requestBody ? `<h4>Request body</h4>${schemaOf(operation.requestBody.content)}` : ''}
<h4>Responses</h4><ul>${responses}</ul>
</section>`;
}

export const DOCS_STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 2rem;color:#1c2330}
h1{margin-bottom:.2rem}nav a{margin-right:1rem}.op{border:1px solid #d8dde6;border-radius:6px;padding:.2rem 1rem;margin:.8rem 0}
.op h3{font-size:1rem}.method{display:inline-block;min-width:4rem;padding:.1rem .4rem;border-radius:4px;color:#fff;background:#5b6472;text-align:center}
.get{background:#2f7d4f}.post{background:#2457a6}.put,.patch{background:#a66a00}.delete{background:#a62b2b}
.access{color:#5b6472;font-size:.9em}pre{background:#f4f6f9;padding:.6rem;overflow:auto;font-size:12px}table{border-collapse:collapse}
td,th{border-bottom:1px solid #e6e9ef;padding:.2rem .6rem;text-align:left}`;

export function renderDocsPage(document: OpenApiDoc, styleNonce: string): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item)) {
      const operation = value as Operation;
      const tag = operation.tags?.[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), renderOperation(method, path, operation)]);
    }
  }
  const anchor = (tag: string) => `tag-${tag.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const sections = [...byTag]
    .map(([tag, ops]) => `<h2 id="${anchor(tag)}">${escape(tag)}</h2>${ops.join('\n')}`)
    .join('\n');
  const nav = [...byTag.keys()].map((tag) => `<a href="#${anchor(tag)}">${escape(tag)}</a>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.info.title)}</title><style nonce="${styleNonce}">${DOCS_STYLE}</style></head>
<body><h1>${escape(document.info.title)}</h1><p>Version ${escape(document.info.version)}. The machine-readable document is at <a href="/openapi.json">/openapi.json</a>.
Authenticated routes take <code>Authorization: Bearer &lt;accessToken&gt;</code> from <code>POST /api/auth/login</code>.</p>
${document.info.description ? `<p>${escape(document.info.description)}</p>` : ''}
<nav>${nav}</nav>
${sections}
</body></html>`;
}
