/**
 * `npm run worker`: a process that only works the PostgreSQL job queue (issue #19) — partitions
 * run here, never beside request handling. Start app servers with GRIDATLAS_JOB_WORKER=0 to leave
 * every job to such workers, or keep the default (servers work jobs too). Needs DATABASE_URL
 * (embedded PGlite is one process: its jobs run inside `npm start`).
 */
import { loadConfig } from './config.js';
import { installDriverGuards } from './db/driver-guards.js';
import { openDatabase } from './db/open.js';
import { openJobQueue } from './services/jobs/open-job-queue.js';
import { WorkerJobs } from './services/worker-jobs.js';

installDriverGuards();
const config = loadConfig();
if (!config.databaseUrl) {
  console.error('[gridatlas] npm run worker 需要 DATABASE_URL（内嵌 PGlite 的任务在 npm start 进程内运行） / needs DATABASE_URL (with embedded PGlite, jobs run inside npm start)');
  process.exit(1);
}
const db = await openDatabase({ url: config.databaseUrl });
const queue = await openJobQueue({ config: { ...config, jobs: { ...config.jobs, queue: true } }, db, local: new WorkerJobs(), work: true });
console.log(`[gridatlas] job worker ready (pid ${process.pid})`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[gridatlas] ${signal}: handing running jobs back to the queue and closing`);
  await queue.close();
  await db.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
