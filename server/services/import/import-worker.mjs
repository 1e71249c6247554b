// Worker-thread entry of an import job. Plain JS so Node can start it without a loader: it
// lowers this thread's CPU priority (worker-priority.mjs), registers tsx (the server runs
// TypeScript through tsx) and then loads the TypeScript worker.
import { register } from 'tsx/esm/api';
import { lowerThreadPriority } from '../worker-priority.mjs';

lowerThreadPriority();
register();
await import('./import-worker.ts');
