import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 at the time of asking: for an embedded Neo4j that will be stopped
 * and started again on the same port (a test or benchmark of an outage). The launcher itself takes
 * a free port when given 0.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
