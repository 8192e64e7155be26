/**
 * infra/k8s rendered for each overlay (test/deploy/kustomize.ts, the kustomize fields it uses) and checked:
 * every object against the Kubernetes schemas and KEDA's (validate-manifests.ts: a misspelt field or a wrong type
 * fails), then what makes this deployment work: probes on /health at the ports the processes listen on, graceful
 * termination longer than a job, disruption budgets, Redis with AOF, Qdrant on a volume, the KEDA trigger on the
 * BullMQ list that really holds the waiting extract jobs, one image, and only variables the service reads.
 */
import { join } from 'node:path';
import { envSchema } from '@facerec/config';
import { bullmqWaitListKey, jobCatalog } from '@facerec/queue';
import { describe, expect, it } from 'vitest';
import { INFRA, type Rendered, type Resource, renderKustomization } from './kustomize.ts';
import { describeProblems, validateManifests } from './validate-manifests.ts';

type Obj = Record<string, any>;
const OVERLAYS = ['dev', 'production'];
const render = (overlay: string) => renderKustomization(join(INFRA, 'k8s/overlays', overlay));
const byKind = (r: Rendered, kind: string) => r.resources.map((x) => x.resource as Obj).filter((x) => x.kind === kind);
const one = (r: Rendered, kind: string, name: string): Obj => {
  const found = byKind(r, kind).find((x) => x.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const container = (workload: Obj, name: string): Obj => workload.spec.template.spec.containers.find((c: Obj) => c.name === name);
const envOf = (c: Obj): Record<string, string> => Object.fromEntries((c.env ?? []).map((e: Obj) => [e.name, e.value]));
const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined) => Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const portNumber = (c: Obj, port: string | number) => (typeof port === 'number' ? port : c.ports.find((p: Obj) => p.name === port)?.containerPort);

describe('the base renders on its own and every kustomization is in the supported subset', () => {
  it('base', async () => {
    const base = renderKustomization(join(INFRA, 'k8s/base'));
    expect(describeProblems(await validateManifests(base.resources))).toBe('');
    expect(base.resources.length).toBe(11);
  });
});

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  const rendered = render(overlay);
  const namespace = (byKind(rendered, 'Namespace')[0]?.metadata.name ?? '') as string;
  const config = one(rendered, 'ConfigMap', 'facerec-config').data as Record<string, string>;
  const gateway = one(rendered, 'Deployment', 'facerec-gateway');
  const worker = one(rendered, 'Deployment', 'facerec-worker');

  it('every object is valid against its schema (Kubernetes, KEDA), with no unknown field', async () => {
    expect(describeProblems(await validateManifests(rendered.resources))).toBe('');
    expect(rendered.kustomizations).toEqual(['infra/k8s/base/kustomization.yaml', `infra/k8s/overlays/${overlay}/kustomization.yaml`]);
  });

  it('puts everything in the overlay namespace, which it creates', () => {
    expect(namespace).toBe(overlay === 'dev' ? 'facerec-dev' : 'facerec');
    for (const { resource } of rendered.resources) if (resource.kind !== 'Namespace') expect(resource.metadata.namespace, resource.metadata.name).toBe(namespace);
  });

  it('runs gateway and worker from one image, by ROLE, setting only variables the service reads', () => {
    const images = new Set([container(gateway, 'gateway').image, container(worker, 'worker').image]);
    expect(images.size).toBe(1);
    expect([...images][0]).toBe(overlay === 'dev' ? 'facerec:dev' : 'registry.example.com/facerec:0.1.0');
    expect(envOf(container(gateway, 'gateway')).ROLE).toBe('gateway');
    expect(envOf(container(worker, 'worker')).ROLE).toBe('worker');
    // A command would tie the manifests to one Dockerfile's layout; the image's own entry point reads ROLE.
    for (const c of [container(gateway, 'gateway'), container(worker, 'worker')]) expect(c.command).toBeUndefined();
    const known = new Set(Object.keys(envSchema.shape));
    for (const name of [...Object.keys(config), ...Object.keys(envOf(container(gateway, 'gateway'))), ...Object.keys(envOf(container(worker, 'worker')))]) {
      expect(known.has(name), `${name} is not a variable packages/config reads`).toBe(true);
    }
    for (const c of [container(gateway, 'gateway'), container(worker, 'worker')]) {
      expect(c.envFrom).toEqual([{ configMapRef: { name: 'facerec-config' } }, { secretRef: { name: 'facerec-secrets', optional: true } }]);
    }
  });

  it('probes /health where each process listens: the gateway on PORT, the worker on METRICS_PORT (startup probe while models load)', () => {
    const g = container(gateway, 'gateway');
    for (const probe of [g.readinessProbe, g.livenessProbe]) {
      expect(probe.httpGet.path).toBe('/health');
      expect(portNumber(g, probe.httpGet.port)).toBe(Number(envOf(g).PORT));
    }
    const w = container(worker, 'worker');
    for (const probe of [w.startupProbe, w.readinessProbe, w.livenessProbe]) {
      expect(probe.httpGet.path).toBe('/health');
      expect(portNumber(w, probe.httpGet.port)).toBe(Number(envOf(w).METRICS_PORT));
    }
    // Model loading gets minutes before liveness may restart the pod.
    expect(w.startupProbe.periodSeconds * w.startupProbe.failureThreshold).toBeGreaterThanOrEqual(120);
    expect(gateway.spec.template.metadata.annotations['prometheus.io/port']).toBe(envOf(g).PORT);
    expect(worker.spec.template.metadata.annotations['prometheus.io/port']).toBe(envOf(w).METRICS_PORT);
  });

  it('gives a draining worker (and gateway) longer than a job lock and a whole extract attempt', () => {
    const lockSeconds = Number(config.QUEUE_LOCK_MS) / 1000;
    const attemptSeconds = jobCatalog.extract.timeoutMs / 1000;
    for (const w of [worker, gateway]) {
      expect(w.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(lockSeconds);
      expect(w.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(attemptSeconds);
    }
  });

  it('requests resources and caps memory for every container', () => {
    for (const w of [...byKind(rendered, 'Deployment'), ...byKind(rendered, 'StatefulSet')]) {
      for (const c of w.spec.template.spec.containers) {
        expect(c.resources?.requests?.cpu, `${w.metadata.name}/${c.name}`).toBeDefined();
        expect(c.resources?.requests?.memory, `${w.metadata.name}/${c.name}`).toBeDefined();
        expect(c.resources?.limits?.memory, `${w.metadata.name}/${c.name}`).toBeDefined();
      }
    }
  });

  it('selectors match: workloads their pods, Services and disruption budgets a workload, one budget rule each', () => {
    const workloads = [...byKind(rendered, 'Deployment'), ...byKind(rendered, 'StatefulSet')];
    for (const w of workloads) expect(matches(w.spec.selector.matchLabels, w.spec.template.metadata.labels), w.metadata.name).toBe(true);
    for (const s of byKind(rendered, 'Service')) expect(workloads.filter((w) => matches(s.spec.selector, w.spec.template.metadata.labels)), s.metadata.name).toHaveLength(1);
    const pdbs = byKind(rendered, 'PodDisruptionBudget');
    expect(pdbs.map((p) => p.metadata.name).sort()).toEqual(['facerec-gateway', 'facerec-worker']);
    for (const p of pdbs) {
      expect(workloads.filter((w) => matches(p.spec.selector.matchLabels, w.spec.template.metadata.labels)), p.metadata.name).toHaveLength(1);
      expect([p.spec.minAvailable, p.spec.maxUnavailable].filter((v) => v !== undefined), p.metadata.name).toHaveLength(1);
      // A budget of minAvailable = replicas would block every node drain.
      const target = workloads.find((w) => matches(p.spec.selector.matchLabels, w.spec.template.metadata.labels))!;
      if (p.spec.minAvailable !== undefined) expect(p.spec.minAvailable).toBeLessThan(target.spec.replicas);
    }
  });

  it('runs Redis with AOF fsynced on every write and Qdrant on a persistent volume, both where the config points', () => {
    const redis = one(rendered, 'StatefulSet', 'facerec-redis');
    const args = container(redis, 'redis').args.join(' ');
    expect(args).toContain('--appendonly yes');
    expect(args).toContain('--appendfsync always');
    expect(args).toContain('--maxmemory-policy noeviction');
    const qdrant = one(rendered, 'StatefulSet', 'facerec-qdrant');
    for (const [set, path] of [[redis, '/data'], [qdrant, '/qdrant/storage']] as const) {
      const claims = set.spec.volumeClaimTemplates.map((v: Obj) => v.metadata.name);
      const mount = set.spec.template.spec.containers[0].volumeMounts.find((m: Obj) => m.mountPath === path);
      expect(claims).toContain(mount?.name);
      expect(set.spec.serviceName).toBe(set.metadata.name);
    }
    expect(new URL(config.REDIS_URL!).host).toBe(`${one(rendered, 'Service', 'facerec-redis').metadata.name}:6379`);
    expect(new URL(config.QDRANT_URL!).host).toBe(`${one(rendered, 'Service', 'facerec-qdrant').metadata.name}:6333`);
  });

  it('scales workers with KEDA on the Redis list BullMQ keeps the waiting extract jobs in, dialled by its full name', () => {
    // A replica count in the Deployment would fight KEDA on every re-apply.
    expect(worker.spec.replicas).toBeUndefined();
    const [scaled, ...more] = byKind(rendered, 'ScaledObject');
    expect(more).toHaveLength(0);
    expect(scaled!.spec.scaleTargetRef.name).toBe(worker.metadata.name);
    expect(scaled!.spec.minReplicaCount).toBeLessThanOrEqual(scaled!.spec.maxReplicaCount);
    const [trigger] = scaled!.spec.triggers;
    expect(trigger.type).toBe('redis');
    expect(trigger.metadata.listName).toBe(bullmqWaitListKey(config.QUEUE_PREFIX!, 'extract'));
    expect(trigger.metadata.address).toBe(`facerec-redis.${namespace}.svc.cluster.local:6379`);
  });
});

describe('the validators catch mistakes', async () => {
  const rendered = render('production');
  const pick = (kind: string) => structuredClone(rendered.resources.find((r) => r.resource.kind === kind)!);

  it('a misspelt field (readinesProbe), which Kubernetes schemas alone would let through', async () => {
    const item = pick('Deployment');
    const c = ((item.resource as Obj).spec.template.spec.containers as Obj[])[0]!;
    c.readinesProbe = c.readinessProbe;
    delete c.readinessProbe;
    expect(describeProblems(await validateManifests([item]))).toMatch(/readinesProbe.*does not exist/);
  });

  it('a wrong type, a missing required field, an unknown kind', async () => {
    const typed = pick('Service');
    (typed.resource as Obj).spec.ports[0].port = '80';
    const missing = pick('Deployment');
    delete (missing.resource as Obj).spec.selector;
    const unknown = { resource: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'x' } } as Resource, source: 'test' };
    const problems = describeProblems(await validateManifests([typed, missing, unknown]));
    expect(problems).toMatch(/infra\/k8s\/base\/gateway-service\.yaml \(Service facerec-gateway\):.*port must be integer/);
    expect(problems).toMatch(/must have required property selector/);
    expect(problems).toMatch(/Ingress has no schema here/);
  });

  it('a KEDA ScaledObject with an unknown field or a redis trigger key KEDA does not read', async () => {
    const a = pick('ScaledObject');
    (a.resource as Obj).spec.maxReplicas = 3;
    const b = pick('ScaledObject');
    (b.resource as Obj).spec.triggers[0].metadata.listname = 'x';
    const c = pick('ScaledObject');
    (c.resource as Obj).spec.triggers[0].metadata.listLength = 20;
    expect(describeProblems(await validateManifests([a]))).toMatch(/must NOT have additional properties: maxReplicas/);
    expect(describeProblems(await validateManifests([b]))).toMatch(/additional properties: listname/);
    expect(describeProblems(await validateManifests([c]))).toMatch(/listLength must be string/);
  });
});
