/**
 * The `service-doc` of the OGC API: an HTML page rendered from the same OpenAPI definition the
 * server publishes at /ogc/api, so the page can never describe other operations or parameters
 * than the ones the server accepts. Self-contained (no scripts, no external assets).
 */
import { openApi } from './ogc-docs.js';

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

interface Param { name: string; in: string; description: string; required: boolean; schema: unknown }
interface Operation { operationId: string; summary: string; parameters: Param[]; responses: Record<string, { description: string }> }

function operationHtml(base: string, path: string, op: Operation): string {
  const params = op.parameters.length
    ? `<table><tr><th>参数 Parameter</th><th>位置 In</th><th>说明 Description</th><th>取值 Schema</th></tr>${op.parameters
        .map((p) => `<tr><td><code>${esc(p.name)}</code>${p.required ? ' *' : ''}</td><td>${esc(p.in)}</td><td>${esc(p.description)}</td><td><code>${esc(JSON.stringify(p.schema))}</code></td></tr>`)
        .join('')}</table>`
    : '<p>无参数 / No parameters.</p>';
  const responses = Object.entries(op.responses).map(([code, r]) => `<li><b>${esc(code)}</b> ${esc(r.description)}</li>`).join('');
  const href = path.includes('{') ? '' : ` — <a href="${esc(base + path)}">${esc(base + path)}</a>`;
  return `<section><h2>GET <code>${esc(path)}</code></h2><p>${esc(op.summary)} (<code>${esc(op.operationId)}</code>)${href}</p>${params}<ul>${responses}</ul></section>`;
}

/** The whole page for a service at `base`. */
export function apiHtml(base: string, types: Parameters<typeof openApi>[1]): string {
  const doc = openApi(base, types);
  const ops = Object.entries(doc.paths).map(([path, item]) => operationHtml(base, path, item.get as unknown as Operation)).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}code{font-size:13px}</style>
</head><body>
<h1>${esc(doc.info.title)}</h1>
<p>${esc(doc.info.description)}。公开数据，不含个人信息 / Public data, no personal fields.
OpenAPI 3.0：<a href="${esc(base)}/api">${esc(base)}/api</a>；一致性 / Conformance：<a href="${esc(base)}/conformance">${esc(base)}/conformance</a>。
未列出的查询参数或取值返回 400 / Query parameters or values not listed here are answered with 400.</p>
${ops}
</body></html>`;
}
