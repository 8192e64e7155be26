/** Child processes for the queue benchmark: the real entry points, started the way an operator would. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { processEnv } from '@facerec/config';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface Proc {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns `script` and resolves when its stderr shows every wanted log line ("listening on", "models loaded"). */
export async function startProc(script: string, env: Record<string, string>, wait: { listening: boolean; models: boolean }): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: repoRoot,
    env: { ...processEnv(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    let url = '';
    let loaded = false;
    createInterface({ input: child.stderr! }).on('line', (line) => {
      logs.push(line);
      const m = /listening on (http:\/\/[^\s"]+)/.exec(line);
      if (m) url = m[1]!;
      if (line.includes('"models loaded"')) loaded = true;
      if ((!wait.listening || url) && (!wait.models || loaded)) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${logs.join('\n')}`)));
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export interface Photo {
  name: string;
  bytes: Buffer;
}

/** The first `n` facescrub photos, round-robin over identities (the same sample the e2e tests use). */
export function facescrub(n: number): Photo[] {
  const root = join(repoRoot, '../shared/faces/facescrub');
  const ids = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const lists = ids.map((id) => readdirSync(join(root, id)).filter((f) => /\.jpe?g$/i.test(f)).sort().map((f) => `${id}/${f}`));
  const out: Photo[] = [];
  for (let round = 0; out.length < n; round++) {
    const before = out.length;
    for (const list of lists) {
      const f = list[round];
      if (f && out.length < n) out.push({ name: f, bytes: readFileSync(join(root, f)) });
    }
    if (out.length === before) throw new Error(`facescrub holds fewer than ${n} photos`);
  }
  return out;
}

/** The faceapijs_bbt_group photos: several faces each, for benchmarks that embed every face. */
export function groupPhotos(): Photo[] {
  const root = join(repoRoot, '../shared/faces/faceapijs_bbt_group');
  return readdirSync(root).filter((f) => /\.jpe?g$/i.test(f)).sort().map((f) => ({ name: f, bytes: readFileSync(join(root, f)) }));
}
