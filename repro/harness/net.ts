// The one free-port helper: the harness's services, the preview server and the tests all ask it.
import net from 'node:net';

/**
 * Binds 127.0.0.1:`port` for a moment and gives it back: the port, free now (0 picks one). A busy
 * port rejects with Node's own EADDRINUSE error, for the caller to word.
 */
export async function freePort(port = 0): Promise<number> {
  const server = net.createServer();
  const bound = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => resolve((server.address() as net.AddressInfo).port));
  });
  await new Promise((resolve) => server.close(resolve));
  return bound;
}
