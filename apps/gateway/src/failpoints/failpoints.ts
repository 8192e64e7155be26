import type { FailpointName } from '@facerec/config';

/** Where crash tests stop a process (FAILPOINTS); every call is a no-op unless its point is armed. */
export interface Failpoints {
  reach(name: FailpointName): void;
}

/**
 * SIGKILL, not an exception or exit(): nothing after the point runs, no finally block, no close(), no flush,
 * exactly as when the kernel kills the process. The line goes to stderr first (synchronous on a pipe or a
 * file) so that a test log shows which point fired.
 */
export function createFailpoints(armed: readonly FailpointName[]): Failpoints {
  const points = new Set(armed);
  return {
    reach(name) {
      if (!points.has(name)) return;
      process.stderr.write(`failpoint ${name} reached: SIGKILL\n`);
      process.kill(process.pid, 'SIGKILL');
    },
  };
}
