// The load test's uploader (import-phase.ts), a process of its own: it POSTs a prepared multipart
// body (a file) and prints `{status, body, ms}` as one JSON line. The readers measured during the
// import are other users; sending 25 MB from their process would time the load generator's own
// socket writes, not the server (plain JS: starts in ~50 ms, without tsx).
//   node upload-client.mjs <url> <body file>   (headers as JSON in UPLOAD_HEADERS)
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [url, file] = process.argv.slice(2);
const body = readFileSync(file);
const headers = { ...JSON.parse(process.env.UPLOAD_HEADERS ?? '{}'), 'content-length': body.length };
const t0 = performance.now();
const req = http.request(url, { method: 'POST', headers }, (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    process.stdout.write(`${JSON.stringify({ status: res.statusCode, body: text.slice(0, 300), ms: performance.now() - t0 })}\n`);
  });
});
req.on('error', (err) => process.stdout.write(`${JSON.stringify({ status: 0, body: String(err.message), ms: performance.now() - t0 })}\n`));
req.end(body);
