import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateRedis {
  url: string;
  port: number;
  /** Clean shutdown then start again on the same port and data dir; resolves once it accepts connections. */
  restart(): Promise<void>;
  /** SIGSTOP: connections stay open and nothing is answered, like a frozen or overloaded host. */
  freeze(): void;
  /** SIGCONT after `freeze`. */
  thaw(): void;
  /** SIGKILL (a frozen server too): no shutdown, connections reset; what AOF holds survives for `start`. */
  kill(): Promise<void>;
  /** Starts it again after `kill`, on the same port and data dir. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  // AOF with fsync on every write: the restart test needs accepted jobs to survive, which the shared
  // (persistence-less) server would not give.
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.resume();
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${log}`)));
    child.once('error', reject);
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'facerec-redis-'));
  const port = await freePort();
  let child = await launch(port, dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart() {
      const done = exited(child);
      child.kill('SIGTERM');
      await done;
      child = await launch(port, dir);
    },
    freeze() {
      child.kill('SIGSTOP');
    },
    thaw() {
      child.kill('SIGCONT');
    },
    async kill() {
      const done = exited(child);
      child.kill('SIGKILL');
      await done;
    },
    async start() {
      child = await launch(port, dir);
    },
    async stop() {
      const done = exited(child);
      // SIGCONT first: a frozen server would not act on SIGTERM.
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await done;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
