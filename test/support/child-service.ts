import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { processEnv } from '@facerec/config';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * This process's environment for a child, without QDRANT_*: a child's vector index is whatever its test
 * names, so a suite run with QDRANT_URL set (for the Qdrant tests) does not move every other service test
 * onto that server.
 */
function inheritedEnv(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(processEnv()).filter(([k]) => !k.startsWith('QDRANT_')));
}

/**
 * Starts a process some other way than this checkout's TypeScript through tsx: `args` after this Node's
 * executable, in `cwd`, with exactly `env` (nothing inherited from this process) under the test's own
 * settings. test/production-image.test.ts starts a replayed image's CMD this way.
 */
export interface Launch {
  cwd: string;
  args: string[];
  env: Record<string, string>;
}

function spawnChild(script: string, env: Record<string, string>, launch: Launch | undefined): ChildProcess {
  const [args, cwd, base] = launch ? [launch.args, launch.cwd, launch.env] : [['--import', 'tsx', script], repoRoot, inheritedEnv()];
  return spawn(process.execPath, args, { cwd, env: { ...base, ...env }, stdio: ['ignore', 'inherit', 'pipe'] });
}

export interface ChildService {
  url: string;
  child: ChildProcess;
  /** Everything the service logged, for assertions and for debugging a failed test. */
  logs: string[];
  /** A worker's /metrics and /health server (its METRICS_PORT), e.g. http://127.0.0.1:41234. */
  metricsUrl?: string;
  stop(): Promise<number | null>;
}

/**
 * Runs `apps/gateway/src/main.ts` as a real process on a free port and resolves once its log says it is
 * listening (or has loaded its models), so tests exercise the same entry point as `npm start` and can tell whether a bad input killed it.
 */
export async function startChildService(
  env: Record<string, string> = {},
  opts: { script?: string; until?: 'listening' | 'models loaded'; launch?: Launch } = {},
): Promise<ChildService> {
  const script = opts.script ?? 'apps/gateway/src/main.ts';
  const until = opts.until ?? 'models loaded';
  // Every service gets its own catalog and vector index unless the test shares one on purpose (restarts).
  const ownDataDir = env.DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), 'facerec-data-'));
  const child = spawnChild(script, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...(ownDataDir ? { DATA_DIR: ownDataDir } : {}), ...env }, opts.launch);
  const removeOwnDataDir = () => {
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
  };
  const logs: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    let listening: string | undefined;
    let loaded = false;
    const lines = createInterface({ input: child.stderr! });
    lines.on('line', (line) => {
      logs.push(line);
      const m = /listening on (http:\/\/[^\s"]+)/.exec(line);
      if (m) listening = m[1]!;
      if (line.includes('"models loaded"')) loaded = true;
      // Loading runs in the background, so the two lines can come in either order.
      if (listening && (until === 'listening' || loaded)) resolve(listening);
    });
    child.once('exit', (code) => reject(new Error(`service exited with ${code} before listening:\n${logs.join('\n')}`)));
  }).catch((err: unknown) => {
    removeOwnDataDir();
    throw err;
  });
  return {
    url,
    child,
    logs,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        removeOwnDataDir();
        return child.exitCode;
      }
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      removeOwnDataDir();
      return code;
    },
  };
}

/**
 * Runs `apps/worker/src/main.ts` (a fleet worker, needs REDIS_URL) as a real process and resolves once it
 * logs "models loaded", i.e. it is consuming the queue. A worker serves no API, so `url` is empty; its
 * metrics port (any free one unless the test names it) is `metricsUrl`. `script` runs another entry point
 * (the gateway's, with ROLE=worker, as the container does).
 */
export async function startChildWorker(env: Record<string, string>, opts: { script?: string; launch?: Launch } = {}): Promise<ChildService> {
  const child = spawnChild(opts.script ?? 'apps/worker/src/main.ts', { LOG_LEVEL: 'info', METRICS_PORT: '0', HOST: '127.0.0.1', ...env }, opts.launch);
  const logs: string[] = [];
  let metricsUrl: string | undefined;
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    lines.on('line', (line) => {
      logs.push(line);
      const m = /metrics on (http:\/\/[^\s"]+)\/metrics/.exec(line);
      if (m) metricsUrl = m[1]!;
      if (line.includes('"models loaded"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before loading its models:\n${logs.join('\n')}`)));
  });
  return {
    url: '',
    metricsUrl,
    child,
    logs,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

/** SIGKILL: no shutdown hook runs, the worker's in-flight jobs keep their (expiring) locks. */
export async function killChild(svc: ChildService): Promise<void> {
  if (svc.child.exitCode !== null || svc.child.signalCode !== null) return;
  const exited = once(svc.child, 'exit');
  svc.child.kill('SIGKILL');
  await exited;
}
