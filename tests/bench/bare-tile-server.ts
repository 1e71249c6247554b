/**
 * The keep-alive bench's peer (issue #17): a bare `node:http` server that answers every request
 * with the same status, headers and body bytes the real server sent for a cached tile.
 * Run as a child process: `node --import tsx tests/bench/bare-tile-server.ts <port> <answer.json>`,
 * where answer.json is `{ status, headers: [name, value, …], bodyBase64 }`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, file] = process.argv.slice(2);
const answer = JSON.parse(readFileSync(file, 'utf8')) as { status: number; headers: string[]; bodyBase64: string };
const body = Buffer.from(answer.bodyBase64, 'base64');
const headers = [...answer.headers, 'content-length', String(body.length)];
createServer((_req, res) => {
  res.writeHead(answer.status, headers);
  res.end(body);
}).listen(Number(port), '127.0.0.1', () => console.log('listening'));
