import { readFileSync, writeFileSync } from 'node:fs';

/** A field of /proc/<pid>/status in bytes (VmRSS: resident now, VmHWM: peak resident since the last reset). */
export function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

/**
 * Runs `fn` and reports how far the process's peak resident memory rose above its resident memory at the
 * start. The kernel keeps the peak (VmHWM), reset here through /proc/<pid>/clear_refs, so a short spike is
 * measured exactly, without sampling or sleeping.
 */
export async function peakRssAfter<T>(pid: number, fn: () => Promise<T>): Promise<{ result: T; growthBytes: number; beforeBytes: number; peakBytes: number }> {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
  const beforeBytes = procStatusBytes(pid, 'VmRSS');
  const result = await fn();
  const peakBytes = procStatusBytes(pid, 'VmHWM');
  return { result, growthBytes: peakBytes - beforeBytes, beforeBytes, peakBytes };
}
