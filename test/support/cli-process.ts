import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** What `npx facerec` runs: the workspace bin npm links into node_modules/.bin. */
export const facerecBin = fileURLToPath(new URL('../../node_modules/.bin/facerec', import.meta.url));

export interface CliRun {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/**
 * Runs the `facerec` CLI as a real child process; `onLine` sees each stdout line as it arrives (the JSON
 * events of --json), so a test can act on progress, e.g. interrupt it halfway.
 */
export function runCli(args: string[], opts: { env?: Record<string, string>; onLine?: (line: string, run: CliRun) => void } = {}): CliRun {
  const child = spawn(process.execPath, [facerecBin, ...args], { cwd: repoRoot, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: CliRun = { child, stdout: [], stderr: [], exited: undefined as never };
  const out = createInterface({ input: child.stdout! });
  const err = createInterface({ input: child.stderr! });
  out.on('line', (line) => {
    run.stdout.push(line);
    opts.onLine?.(line, run);
  });
  err.on('line', (line) => run.stderr.push(line));
  run.exited = Promise.all([once(child, 'exit'), once(out, 'close'), once(err, 'close')]).then(([[code]]) => code as number | null);
  return run;
}

export const jsonLines = (run: CliRun) => run.stdout.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
