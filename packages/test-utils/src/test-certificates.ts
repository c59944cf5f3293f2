/**
 * Throwaway TLS certificates for tests, made with the `openssl` command: a
 * CA, a server certificate for 127.0.0.1 and localhost signed by it, and a
 * client certificate for mutual TLS. Nothing is checked in; every call makes
 * fresh keys in a temp dir that the process reaper removes.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { OpensslMissingError } from './errors.js';
import { findExecutable } from './find-executable.js';
import { forgetTempDir, trackTempDir } from './process-reaper.js';

const run = promisify(execFile);

/** PEM files (paths, for redis-server) and their contents (for clients' `tls` options). */
export interface TestCertificates {
  /** The temp dir holding the files; {@link TestCertificates.remove} deletes it. */
  readonly dir: string;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  /** The CA certificate (PEM): what a client passes as `ca` to trust the server. */
  readonly ca: string;
  /** The client certificate and key (PEM), for servers that require client certificates. */
  readonly clientCert: string;
  readonly clientKey: string;
  /** Deletes the files. */
  remove(): Promise<void>;
}

/** Options of {@link createTestCertificates}. */
export interface TestCertificateOptions {
  /** The `openssl` binary. Default `$OPENSSL_PATH` or `openssl` on PATH. */
  opensslPath?: string;
}

const VALID_DAYS = '2';

/**
 * Creates a CA and a server certificate (subjectAltName IP:127.0.0.1,
 * DNS:localhost) and a client certificate, both signed by the CA.
 *
 * @example
 * const certificates = await createTestCertificates();
 * const server = await startRedisServer({ tls: certificates });
 * const client = new Redis(server.tlsUrl, { tls: { ca: certificates.ca } });
 */
export async function createTestCertificates(
  options: TestCertificateOptions = {},
): Promise<TestCertificates> {
  const requested = options.opensslPath ?? process.env.OPENSSL_PATH ?? 'openssl';
  const openssl = findExecutable(requested);
  if (!openssl) throw new OpensslMissingError();
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'redlock-tls-'));
  trackTempDir(dir);
  const file = (name: string) => path.join(dir, name);
  const openSsl = (...args: string[]) => run(openssl, args, { cwd: dir });
  try {
    // biome-ignore format: one option and its value per line
    await openSsl(
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', VALID_DAYS,
      '-keyout', file('ca.key'), '-out', file('ca.crt'), '-subj', '/CN=redlock test CA',
    );
    await signedCertificate(openSsl, file, 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost');
    await signedCertificate(openSsl, file, 'client', 'extendedKeyUsage=clientAuth');
  } catch (error) {
    await fs.promises.rm(dir, { recursive: true, force: true });
    forgetTempDir(dir);
    throw error;
  }
  const read = (name: string) => fs.readFileSync(file(name), 'utf8');
  return {
    dir,
    caFile: file('ca.crt'),
    certFile: file('server.crt'),
    keyFile: file('server.key'),
    clientCertFile: file('client.crt'),
    clientKeyFile: file('client.key'),
    ca: read('ca.crt'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    async remove() {
      await fs.promises.rm(dir, { recursive: true, force: true });
      forgetTempDir(dir);
    },
  };
}

/** A key and a certificate `<name>.crt` signed by the CA, with one x509 extension line. */
async function signedCertificate(
  openSsl: (...args: string[]) => Promise<unknown>,
  file: (name: string) => string,
  name: string,
  extension: string,
): Promise<void> {
  fs.writeFileSync(file(`${name}.ext`), `${extension}\n`);
  // biome-ignore format: one option and its value per line
  await openSsl(
    'req', '-newkey', 'rsa:2048', '-nodes',
    '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', `/CN=${name === 'server' ? 'localhost' : name}`,
  );
  // biome-ignore format: one option and its value per line
  await openSsl(
    'x509', '-req', '-in', file(`${name}.csr`), '-days', VALID_DAYS,
    '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-out', file(`${name}.crt`), '-extfile', file(`${name}.ext`),
  );
}
