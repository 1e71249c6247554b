/**
 * Raw HTTP over a real socket, for requests a client library will not send (oversized or broken
 * request lines, absolute-form targets, `OPTIONS *`): the bytes as given, and everything the
 * server wrote back before it closed the connection.
 */
import net from 'node:net';

export function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}
