// Lowers the CPU priority of the calling worker thread only (issue #14.3), so that on a busy
// machine request handling on the main thread wins the CPU over an import or a partition: the
// background job takes longer, health checks and tiles do not wait behind it.
//
// Plain JS, run first thing in a worker entry (before tsx is loaded, which itself takes 0.5–3 s of
// CPU). On Linux `setpriority(PRIO_PROCESS, 0)` — os.setPriority() without a pid — applies to the
// calling *thread* (each thread is its own task, see /proc/<pid>/task/*/stat). Elsewhere (macOS,
// Windows) it would renice the whole server, so it is done on Linux only.
import { platform, setPriority } from 'node:os';

/** Nice value of background workers: the lowest priority there is. */
export const WORKER_NICE = 19;

export function lowerThreadPriority() {
  if (platform() !== 'linux') return;
  try {
    setPriority(WORKER_NICE);
  } catch {
    // Not allowed (a container without the right): the job still runs, at normal priority.
  }
}
