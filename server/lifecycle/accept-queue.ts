/**
 * How many connections the kernel has completed for a listening socket that the process has not
 * accepted yet (Linux: the `rx_queue` of a LISTEN socket in /proc/net/tcp{,6}, found by the
 * socket's inode). The drain closes its listener only right after this reads 0, because closing
 * a listener resets every connection still in that queue. `null` where it cannot be read (another
 * OS, no /proc): the drain then relies on its quiet period alone.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import type { Server } from 'node:net';

export function acceptQueueLength(server: Server): number | null {
  try {
    const fd = (server as unknown as { _handle?: { fd?: number } | null })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0) return null;
    const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
    if (!inode) return null;
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      for (const line of readFileSync(table, 'utf8').split('\n')) {
        // sl local rem st tx_queue:rx_queue tr:when retrnsmt uid timeout inode …
        const f = line.trim().split(/\s+/);
        if (f[9] === inode && f[3] === '0A') return parseInt(f[4].split(':')[1], 16);
      }
    }
    return null;
  } catch {
    return null;
  }
}
