/**
 * Issue #17, isochrone row: `GET /api/isochrone?minutes=5,10,15` over HTTP, as polygons (the
 * default answer) and as `geometry=lines` (what the /life page calls: it draws the same polygons
 * itself), each with the facility lists — against `pgr_drivingDistance` (900 m,
 * edges SQL over the whole `walk_edges`, through the same driver) from the same start nodes,
 * alternating the contenders request by request so both see the same machine load. The server runs
 * in a child process (server/main.ts), as deployed.
 *
 * The endpoint is given each start node's own position, so it snaps onto the node (0 m) and its
 * Dijkstra starts there; the reachable set it routes over — the in-memory network the server
 * keeps, from the snapped start — is compared node by node with pgRouting's (same nodes, distances
 * to 0.5 m, ties at the cutoff excepted). The goal is ≥ 5× faster than pgRouting; the breakdown
 * row (in-process routing + polygons, no HTTP/JSON) says where the endpoint's time goes. A third
 * contender is an HTTP peer (tests/bench/pgr-peer-server.ts): a bare node:http server in its own
 * process answering pgRouting's reached nodes as JSON, so the endpoint is also measured against a
 * pgRouting web service over the same hops, as the tiles rows are against their HTTP peer.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import type { Database } from '../../server/db/client.js';
import { isochrone, shortestPaths, sourcesAt } from '../../geo/routing/index.js';
import { walkNetwork } from '../../server/services/walk-network.js';
import { fmt, httpGet, percentile, sample, sampleRoundRobin, table } from './stats.js';

const MINUTES = [5, 10, 15];
const SPEED = 60;
const CUTOFF_M = 900; // 15 minutes at 60 m/min
const EDGES_SQL = 'SELECT id, source, target, length_m AS cost FROM walk_edges';

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');

/**
 * Prints the row for the street in `db`, served at `base`. `starts` start nodes spread over the
 * network, `rounds` alternating samples of each contender per start.
 */
export async function benchIsochroneEndpoint(db: Database, base: string, label: string, databaseUrl: string, peerPort: number, starts = 8, rounds = 15) {
  const loadBefore = load();
  const peer = await spawnPgrPeer(databaseUrl, peerPort);
  const net = await walkNetwork(db);
  const g = net.graph;
  // Start nodes spread over the network: evenly spaced by id among the nodes with an edge.
  const ids = Array.from(g.nodeIds).filter((_, v) => g.adjStart[v + 1] > g.adjStart[v]).sort((a, b) => a - b);
  const startIds = Array.from({ length: starts }, (_, k) => ids[Math.floor(((k + 0.5) / starts) * ids.length)]);
  const url = (id: number, geometry: 'polygons' | 'lines' = 'polygons') => {
    const v = g.indexOfNode(id);
    const tail = geometry === 'lines' ? '&geometry=lines' : '';
    return `${base}/api/isochrone?lng=${g.nodeLng[v]}&lat=${g.nodeLat[v]}&minutes=${MINUTES.join(',')}&speed=${SPEED}${tail}`;
  };
  const pgr = (id: number) =>
    db.query<{ node: number; agg_cost: number }>(
      'SELECT node, agg_cost FROM pgr_drivingDistance($1, $2::bigint, $3::float8, directed => false)',
      [EDGES_SQL, id, CUTOFF_M],
    );

  // Same reachable set: our Dijkstra from the start the endpoint snaps to vs pgRouting's.
  let differences = 0;
  let reachedNodes = 0;
  let bytes = 0;
  let lineBytes = 0;
  for (const id of startIds) {
    const v = g.indexOfNode(id);
    const snap = net.index.nearest(g.nodeLng[v], g.nodeLat[v])!;
    const sp = shortestPaths(g, sourcesAt(g, snap), CUTOFF_M, net.ws);
    const ours = new Map(Array.from(sp.settled, (u) => [g.nodeIds[u], sp.dist[u]] as const));
    const theirs = new Map((await pgr(id)).map((r) => [Number(r.node), Number(r.agg_cost)] as const));
    differences += countDifferences(ours, theirs);
    reachedNodes += theirs.size;
    bytes += await httpGet(url(id));
    lineBytes += await httpGet(url(id, 'lines'));
  }

  // The HTTP peer answers the very reachable set pgRouting gives (checked once per start).
  const peerUrl = (id: number) => `${peer.base}/pgr?node=${id}&cutoff=${CUTOFF_M}`;
  for (const id of startIds) {
    const byNode = (a: number[], b: number[]) => a[0] - b[0];
    const direct = (await pgr(id)).map((r) => [Number(r.node), Number(r.agg_cost)]).sort(byNode);
    const viaPeer = ((await (await fetch(peerUrl(id))).json()) as number[][]).sort(byNode);
    if (JSON.stringify(viaPeer) !== JSON.stringify(direct)) differences += 1;
  }

  // Round robin per start: polygons answer, pgr, lines answer, pgr, HTTP peer (pgRouting sampled
  // twice as often, so each answer has a pgRouting call right before it).
  const endpoint: number[] = [];
  const linesEndpoint: number[] = [];
  const theirs: number[] = [];
  const peerTimes: number[] = [];
  for (const id of startIds) {
    const [a, b, c, d, e] = await sampleRoundRobin(rounds, [() => httpGet(url(id)), () => pgr(id), () => httpGet(url(id, 'lines')), () => pgr(id), () => httpGet(peerUrl(id))], 2);
    endpoint.push(...a);
    linesEndpoint.push(...c);
    theirs.push(...b, ...d);
    peerTimes.push(...e);
  }
  peer.close();
  const inProcess: number[] = [];
  const inProcessLines: number[] = [];
  for (const id of startIds) {
    const v = g.indexOfNode(id);
    const snap = net.index.nearest(g.nodeLng[v], g.nodeLat[v])!;
    inProcess.push(...(await sample(rounds, async () => isochrone(g, snap, { minutes: MINUTES, speedMPerMin: SPEED }, net.ws), 2)));
    inProcessLines.push(...(await sample(rounds, async () => isochrone(g, snap, { minutes: MINUTES, speedMPerMin: SPEED, polygons: false }, net.ws), 2)));
  }
  const [e, l, t, h] = [percentile(endpoint, 50), percentile(linesEndpoint, 50), percentile(theirs, 50), percentile(peerTimes, 50)];
  console.log(`\n## Isochrone endpoint vs pgr_drivingDistance (issue #17) — ${label}`);
  console.log(`${g.edgeCount.toLocaleString('en')} walk edges; ${starts} start nodes × ${rounds} alternating rounds each; load average (1/5/15 min) before ${loadBefore}, after ${load()}`);
  table([
    ['what', 'p50', 'p90', 'pgr_drivingDistance p50', 'pgr p90', 'pgr / endpoint', 'goal', 'reachable-set differences'],
    [
      'GET /api/isochrone?minutes=5,10,15 (HTTP, keep-alive)', fmt(e), fmt(percentile(endpoint, 90)), fmt(t), fmt(percentile(theirs, 90)),
      `${(t / e).toFixed(2)}×`, '≥ 5×', `${differences} (of ${reachedNodes} reached nodes)`,
    ],
    ['  of which routing + band polygons in process', fmt(percentile(inProcess, 50)), fmt(percentile(inProcess, 90)), '', '', '', '', ''],
    [
      'GET /api/isochrone?minutes=5,10,15&geometry=lines (what /life calls; polygons drawn in the browser)', fmt(l), fmt(percentile(linesEndpoint, 90)), fmt(t), fmt(percentile(theirs, 90)),
      `${(t / l).toFixed(2)}×`, '≥ 5×', 'same Dijkstra as above',
    ],
    ['  of which routing + band lines in process', fmt(percentile(inProcessLines, 50)), fmt(percentile(inProcessLines, 90)), '', '', '', '', ''],
    [
      'HTTP peer: GET /pgr (bare node:http in its own process → pgr_drivingDistance, reached nodes as JSON)', fmt(h), fmt(percentile(peerTimes, 90)), '', '', '', '', '',
    ],
  ]);
  console.log(`vs the HTTP peer: polygons ${(h / e).toFixed(2)}×, lines ${(h / l).toFixed(2)}× (peer / endpoint)`);
  console.log(`mean reply: polygons ${Math.round(bytes / starts / 1024)} KB, lines ${Math.round(lineBytes / starts / 1024)} KB`);
}

/** The HTTP peer (tests/bench/pgr-peer-server.ts) in a child process. */
async function spawnPgrPeer(databaseUrl: string, port: number): Promise<{ base: string; close: () => void }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/pgr-peer-server.ts', String(port), databaseUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`pgr peer exited with ${code}`)));
  });
  return { base: `http://127.0.0.1:${port}`, close: () => child.kill() };
}

/** Nodes reached by one side only, or at distances more than 0.5 m apart (ties at the cutoff excepted). */
function countDifferences(ours: Map<number, number>, theirs: Map<number, number>): number {
  let bad = 0;
  for (const [node, d] of theirs) {
    const mine = ours.get(node);
    if (mine === undefined ? CUTOFF_M - d > 0.5 : Math.abs(mine - d) > 0.5) bad++;
  }
  for (const [node, d] of ours) if (!theirs.has(node) && CUTOFF_M - d > 0.5) bad++;
  return bad;
}
