// Worker-thread entry of an import job. Plain JS so Node can start it without a loader: it
// registers tsx (the server runs TypeScript through tsx) and then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
