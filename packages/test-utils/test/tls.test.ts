import crypto from 'node:crypto';
import fs from 'node:fs';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestCertificates,
  type RedisServer,
  startRedisServer,
  type TestCertificates,
} from '../src/index.js';

/** Sends PING over TLS and resolves with the first reply line. */
function tlsPing(port: number, options: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ...options });
    socket.setEncoding('utf8');
    let received = '';
    socket.once('secureConnect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (text: string) => {
      received += text;
      if (received.includes('\r\n')) {
        socket.end();
        resolve(received.split('\r\n')[0]!);
      }
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`closed after ${JSON.stringify(received)}`)));
  });
}

describe('createTestCertificates', () => {
  it('makes a CA, a server and a client certificate, and removes them', async () => {
    const certificates = await createTestCertificates();
    const server = new crypto.X509Certificate(fs.readFileSync(certificates.certFile));
    const ca = new crypto.X509Certificate(certificates.ca);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(new crypto.X509Certificate(certificates.clientCert).checkIssued(ca)).toBe(true);
    await certificates.remove();
    expect(fs.existsSync(certificates.dir)).toBe(false);
  });
});

describe('a TLS redis-server', () => {
  let certificates: TestCertificates;
  let server: RedisServer;
  beforeAll(async () => {
    certificates = await createTestCertificates();
    server = await startRedisServer({ tls: certificates });
  });
  afterAll(async () => {
    await server?.stop();
    await certificates?.remove();
  });

  it('answers over TLS on its own port and in plain text on the harness port', async () => {
    expect(server.tlsPort).not.toBe(server.port);
    expect(server.tlsUrl).toBe(`rediss://127.0.0.1:${server.tlsPort}`);
    expect(await tlsPing(server.tlsPort, { ca: certificates.ca })).toBe('+PONG');
    expect(await server.command('CONFIG', 'GET', 'tls-port')).toBe(`tls-port\n${server.tlsPort}`);
  });

  it('is rejected by a client that does not trust the test CA', async () => {
    await expect(tlsPing(server.tlsPort, {})).rejects.toThrow(/self[- ]signed|unable to verify/i);
  });

  it('keeps its TLS port across restart', async () => {
    const tlsPort = server.tlsPort;
    await server.restart();
    expect(server.tlsPort).toBe(tlsPort);
    expect(await tlsPing(tlsPort, { ca: certificates.ca })).toBe('+PONG');
  });

  it('has no TLS port when started without tls', async () => {
    const plain = await startRedisServer();
    try {
      expect(() => plain.tlsPort).toThrow(/started without tls/);
    } finally {
      await plain.stop();
    }
  });
});

describe('a TLS redis-server that requires client certificates', () => {
  let certificates: TestCertificates;
  let server: RedisServer;
  beforeAll(async () => {
    certificates = await createTestCertificates();
    server = await startRedisServer({ tls: certificates, tlsAuthClients: 'yes' });
  });
  afterAll(async () => {
    await server?.stop();
    await certificates?.remove();
  });

  it('accepts a client with the test client certificate', async () => {
    const reply = await tlsPing(server.tlsPort, {
      ca: certificates.ca,
      cert: certificates.clientCert,
      key: certificates.clientKey,
    });
    expect(reply).toBe('+PONG');
  });

  it('refuses a client without one', async () => {
    await expect(tlsPing(server.tlsPort, { ca: certificates.ca })).rejects.toThrow();
  });
});
