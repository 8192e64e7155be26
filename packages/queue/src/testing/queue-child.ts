import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Where a queue lives, as createJobQueue takes it: a Redis URL and prefix, or a data directory. */
export interface QueueLocation {
  redisUrl?: string;
  prefix?: string;
  dataDir?: string;
}

export interface ChildSpec {
  queue: QueueLocation;
  secret: string;
  concurrency?: number;
  /** Every call after this many completed ones blocks forever. */
  hangAfter?: number;
  /** Submit the crash batch (crashBatchImages(items)) with this webhook and Idempotency-Key. */
  submit?: { items: number; webhookUrl: string; idempotencyKey: string };
}

export interface QueueChild {
  /** Resolves once `n` jobs are blocked in it. */
  hanging(n: number): Promise<void>;
  /** The submission's answer (only with `spec.submit`). */
  accepted: Promise<{ id: string; created: boolean }>;
  /** SIGKILL: nothing is closed, locks and in-flight jobs are left as they were. */
  kill(): Promise<NodeJS.Signals | null>;
  /** SIGTERM: closes the queue (in-flight jobs finish), resolves with the exit code. */
  stop(): Promise<number | null>;
}

const CHILD = fileURLToPath(new URL('./worker-child.ts', import.meta.url));

/** Starts worker-child.ts and resolves once it consumes; every child ever started is killed by `killAll`. */
export async function spawnQueueChild(spec: ChildSpec): Promise<QueueChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  live.add(child);
  void exited.then(() => live.delete(child));
  const lines = createInterface({ input: child.stdout });
  let hung = 0;
  const hangWaiters: Array<{ n: number; resolve: () => void }> = [];
  let accept!: (v: { id: string; created: boolean }) => void;
  const accepted = new Promise<{ id: string; created: boolean }>((resolve) => (accept = resolve));
  lines.on('line', (line) => {
    if (line === 'hanging') {
      hung++;
      for (const w of hangWaiters.filter((w) => w.n <= hung)) w.resolve();
    } else if (line.startsWith('accepted ')) accept(JSON.parse(line.slice(9)) as { id: string; created: boolean });
  });
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (l) => l === 'ready' && resolve());
    void exited.then(([code]) => reject(new Error(`queue child exited early (${code})`)));
  });
  return {
    accepted,
    hanging: (n) => (hung >= n ? Promise.resolve() : new Promise((resolve) => hangWaiters.push({ n, resolve }))),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return (await exited)[1];
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return (await exited)[0];
    },
  };
}

const live = new Set<ReturnType<typeof spawn>>();

/** For afterEach: SIGKILLs every child still running. */
export async function killQueueChildren(): Promise<void> {
  await Promise.all(
    [...live].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }),
  );
}
