/**
 * A guard for one known postgres.js 3.4 failure: when PostgreSQL drops a connection in the middle
 * of a transaction, a write the driver queued with setImmediate can run after the socket was set
 * to null and throw `TypeError: Cannot read properties of null (reading 'write')` outside any
 * request — which would end the server. That exact error (thrown from the driver's
 * connection.js) is logged and dropped: the connection is already dead and the driver reconnects.
 * Any other uncaught exception is printed and ends the process, as Node does by default.
 *
 * Installed by the server entry point and the load/fault harness; not in test workers, whose
 * runner handles uncaught errors itself.
 */
export function isDriverDeadSocketWrite(err: unknown): boolean {
  return (
    err instanceof TypeError &&
    /reading 'write'/.test(err.message) &&
    /node_modules[\\/]postgres[\\/]src[\\/]connection\.js/.test(err.stack ?? '')
  );
}

let installed = false;

export function installDriverGuards() {
  if (installed) return;
  installed = true;
  process.on('uncaughtException', (err) => {
    if (isDriverDeadSocketWrite(err)) {
      console.warn('[gridatlas] postgres driver wrote to a closed connection (ignored; it reconnects)');
      return;
    }
    console.error(err);
    process.exit(1);
  });
}
