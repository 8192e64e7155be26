import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { withLogContext } from './log-context.ts';
import { createLogger } from './logger.ts';

let lines: Record<string, unknown>[];
beforeEach(() => {
  lines = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

it('adds the surrounding context to every line, across awaits, and the call fields win', async () => {
  const log = createLogger('debug', { service: 'gateway' });
  await withLogContext({ request_id: 'r-1', job_id: 'j' }, async () => {
    await new Promise((r) => setImmediate(r));
    log.info('inside', { job_id: 'override' });
  });
  log.info('outside');
  expect(lines[0]).toMatchObject({ msg: 'inside', service: 'gateway', request_id: 'r-1', job_id: 'override' });
  expect(lines[1]).not.toHaveProperty('request_id');
});

it('an inner context replaces the outer one instead of merging', () => {
  const log = createLogger('info');
  withLogContext({ request_id: 'outer', extra: 1 }, () => withLogContext({ request_id: 'inner' }, () => log.warn('x')));
  expect(lines[0]).toMatchObject({ request_id: 'inner' });
  expect(lines[0]).not.toHaveProperty('extra');
});

it('drops lines below its level', () => {
  createLogger('warn').info('hidden');
  expect(lines).toHaveLength(0);
});
