import net from 'node:net';

/**
 * Asks the OS for a free TCP port on `host` by binding port 0, then releases
 * it. Another process may still grab it before we use it, so callers retry on
 * EADDRINUSE.
 */
export function getFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port assigned'))));
    });
  });
}
