/**
 * The isochrone bench's HTTP peer (issue #17: "measured the way a peer would be measured"): a bare
 * `node:http` server that answers `GET /pgr?node=<id>&cutoff=<m>` with the nodes
 * `pgr_drivingDistance` reaches (edges SQL over the whole `walk_edges`, as the bench's direct call)
 * as JSON `[[node, agg_cost], …]` — what a pgRouting-backed web service sends, with no band
 * geometry and no facilities. In a process of its own, like the endpoint's server, so both pay
 * the same hops: client → server process → PostgreSQL.
 * Run: `node --import tsx tests/bench/pgr-peer-server.ts <port> <database url>`.
 */
import { createServer } from 'node:http';
import postgres from 'postgres';

const EDGES_SQL = 'SELECT id, source, target, length_m AS cost FROM walk_edges';
const [port, url] = process.argv.slice(2);
const sql = postgres(url, { max: 2, onnotice: () => {} });

createServer((req, res) => {
  const u = new URL(req.url ?? '/', 'http://peer');
  const node = u.searchParams.get('node');
  const cutoff = Number(u.searchParams.get('cutoff'));
  if (u.pathname !== '/pgr' || !node || !/^\d+$/.test(node) || !Number.isFinite(cutoff)) {
    res.writeHead(400).end();
    return;
  }
  sql.unsafe('SELECT node, agg_cost FROM pgr_drivingDistance($1, $2::bigint, $3::float8, directed => false)', [EDGES_SQL, node, cutoff])
    .then((rows) => {
      const body = Buffer.from(JSON.stringify(rows.map((r) => [Number(r.node), Number(r.agg_cost)])));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    }, (err: unknown) => {
      res.writeHead(500).end(String(err));
    });
}).listen(Number(port), '127.0.0.1', () => console.log('listening'));
