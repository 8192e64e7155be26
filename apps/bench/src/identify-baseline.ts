import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { faceLikeGenerator } from '@facerec/vector-index/synthetic';
import { processEnv } from '@facerec/config';

/**
 * The old API's way to answer "who is this?": one `POST /api/compare_features` per enrolled face. We time a
 * batch of such calls against a real server and extrapolate linearly to N (the calls are independent).
 */
export interface BaselineResult {
  target: string;
  /** 'spec-url' | 'gateway' (spawned from this repo) | 'fallback' (minimal node:http endpoint, same cosine). */
  source: 'spec-url' | 'gateway' | 'fallback';
  note?: string;
  calls: number;
  msPerCall: number;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function waitHealthy(base: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/**
 * npx runs tsx which runs node, and the grandchild can outlive a SIGTERM while it drains its own connections, so
 * the whole process group we started (detached, so it is ours alone) gets SIGTERM, then SIGKILL if still there.
 */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const signal = (sig: NodeJS.Signals | 0): boolean => {
    try {
      process.kill(-child.pid!, sig);
      return true;
    } catch {
      return false; // group already gone
    }
  };
  if (!signal('SIGTERM')) return;
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (!signal(0)) return;
  }
  signal('SIGKILL');
}

/** Same request and response shape as the spec endpoint, doing the same cosine: the floor any HTTP 1:1 call costs. */
async function startFallback(): Promise<{ base: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const t0 = performance.now();
      const { feature1: a, feature2: b } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { feature1: number[]; feature2: number[] };
      let dot = 0;
      let na = 0;
      let nb = 0;
      for (let i = 0; i < a.length; i++) {
        dot += a[i]! * b[i]!;
        na += a[i]! * a[i]!;
        nb += b[i]! * b[i]!;
      }
      const similarity = dot / Math.sqrt(na * nb);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ success: true, similarity, is_same_person: similarity >= 0.4, processing_time: (performance.now() - t0) / 1000 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function timeCalls(base: string, calls: number): Promise<number> {
  const g = faceLikeGenerator({ seed: 5 });
  const probe = Array.from(g.sample(0));
  const bodies = Array.from({ length: 50 }, (_, i) => JSON.stringify({ feature1: probe, feature2: Array.from(g.sample(i + 1)) }));
  const post = async (i: number) => {
    const res = await fetch(`${base}/api/compare_features`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[i % bodies.length] });
    const json = (await res.json()) as { success?: boolean; similarity?: number };
    if (!res.ok || json.success !== true || typeof json.similarity !== 'number') throw new Error(`compare_features answered ${res.status}: ${JSON.stringify(json)}`);
  };
  for (let i = 0; i < 20; i++) await post(i);
  const t0 = performance.now();
  // Sequential, as a 1:N loop over a client library would do it.
  for (let i = 0; i < calls; i++) await post(i);
  return (performance.now() - t0) / calls;
}

export async function measureBaseline(opts: { specUrl?: string; calls: number; repoRoot: string }): Promise<BaselineResult> {
  if (opts.specUrl) {
    return { target: opts.specUrl, source: 'spec-url', calls: opts.calls, msPerCall: await timeCalls(opts.specUrl.replace(/\/$/, ''), opts.calls) };
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn('npx', ['tsx', 'apps/gateway/src/main.ts'], {
    cwd: opts.repoRoot,
    env: { ...processEnv(), PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  try {
    if (await waitHealthy(base, child, 90_000)) {
      try {
        return { target: base, source: 'gateway', calls: opts.calls, msPerCall: await timeCalls(base, opts.calls) };
      } catch (err) {
        stderr = `${String(err)} ${stderr}`;
      }
    }
  } finally {
    await stopGroup(child);
  }
  const fb = await startFallback();
  try {
    const why = stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 300) || 'did not answer /health in time';
    return {
      target: fb.base,
      source: 'fallback',
      note: `gateway did not start (${why}); timed a minimal node:http endpoint doing the same cosine instead`,
      calls: opts.calls,
      msPerCall: await timeCalls(fb.base, opts.calls),
    };
  } finally {
    fb.server.close();
  }
}
