/**
 * infra/docker-compose.yml, checked without a Docker engine (none runs on the CI machines): one image for
 * every role chosen by ROLE (the image Kubernetes runs too), only variables the service reads, Redis with AOF,
 * health checks on /health where each process listens, and stop grace periods longer than a job.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '@facerec/config';
import { jobCatalog } from '@facerec/queue';
import { parse } from 'yaml';
import { expect, it } from 'vitest';
import { INFRA, renderKustomization } from './kustomize.ts';

type Obj = Record<string, any>;
const compose = parse(readFileSync(join(INFRA, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Obj> };
const { gateway, worker, redis } = compose.services as Record<string, Obj>;
const seconds = (d: string) => Number(/^(\d+)s$/.exec(d)?.[1] ?? NaN);

it('gateway and worker run one image, built from infra/Dockerfile, by ROLE, with no command of their own', () => {
  for (const s of [gateway!, worker!]) {
    expect(s.image).toBe('facerec:latest');
    expect(s.build).toEqual({ context: '..', dockerfile: 'infra/Dockerfile' });
    expect(s.command).toBeUndefined();
  }
  expect(existsSync(join(INFRA, 'Dockerfile'))).toBe(true);
  expect(gateway!.environment.ROLE).toBe('gateway');
  expect(worker!.environment.ROLE).toBe('worker');
  // The same image Kubernetes' base runs (overlays retag it).
  const base = renderKustomization(join(INFRA, 'k8s/base'));
  const images = base.resources.flatMap(({ resource }) => ((resource as Obj).spec?.template?.spec?.containers ?? []).map((c: Obj) => c.image as string));
  expect(images.filter((i) => i.startsWith('facerec'))).toEqual(['facerec:latest', 'facerec:latest']);
});

it('sets only variables packages/config reads', () => {
  const known = new Set(Object.keys(envSchema.shape));
  for (const s of [gateway!, worker!]) for (const name of Object.keys(s.environment)) expect(known.has(name), name).toBe(true);
});

it('runs Redis with AOF fsynced on every write and noeviction, and waits for it to answer', () => {
  expect(redis!.command.join(' ')).toContain('--appendonly yes --appendfsync always --maxmemory-policy noeviction');
  expect(redis!.volumes).toEqual(['redis-data:/data']);
  expect(gateway!.depends_on.redis).toEqual({ condition: 'service_healthy' });
  expect(worker!.depends_on.redis).toEqual({ condition: 'service_healthy' });
});

it('checks health on /health where each process listens, and lets them drain longer than a job', () => {
  expect(gateway!.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${gateway!.environment.PORT}/health`);
  expect(worker!.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${worker!.environment.METRICS_PORT}/health`);
  for (const s of [gateway!, worker!]) expect(seconds(s.stop_grace_period)).toBeGreaterThan(jobCatalog.extract.timeoutMs / 1000);
});
