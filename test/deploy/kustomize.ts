/**
 * Renders a kustomization the way `kustomize build` does, for the fields infra/k8s uses (the kustomization
 * schema refuses any other): resources (files and directories), strategic-merge patches, replicas, images and
 * the namespace. kustomize itself is not installed on the CI machines and nothing may be downloaded, so the
 * manifests are rendered here and the result is what the tests validate.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { type Json, strategicMerge } from './strategic-merge.ts';

export interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: Json | undefined | Resource['metadata'];
}

export interface Rendered {
  /** Every resource, with where it came from (relative to the repository). */
  resources: Array<{ resource: Resource; source: string }>;
  /** Every kustomization.yaml that took part, base first. */
  kustomizations: string[];
}

const repoRoot = resolve(import.meta.dirname, '../..');
const kustomizationSchema = JSON.parse(readFileSync(join(repoRoot, 'infra/k8s/schemas/kustomization.schema.json'), 'utf8')) as object;
const validateKustomization = new Ajv({ allErrors: true }).compile(kustomizationSchema);

/** Kinds that are not namespaced, so the namespace transformer leaves them alone. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass']);
/** Kinds whose patches follow strategic merge (they are Kubernetes' own); anything else is a custom resource. */
const BUILT_IN_GROUPS = new Set(['v1', 'apps/v1', 'policy/v1', 'batch/v1', 'networking.k8s.io/v1', 'autoscaling/v2', 'rbac.authorization.k8s.io/v1']);

/**
 * YAML as kubectl reads it: sigs.k8s.io/yaml follows YAML 1.1, where `yes`, `on` and `off` are booleans. Reading
 * the same way here means a value kubectl would turn into a boolean fails the schema check instead of passing.
 */
export function readYamlDocuments(path: string): Json[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'), { version: '1.1' });
  return docs.flatMap((d) => {
    if (d.errors.length > 0) throw new Error(`${path}: ${d.errors.map((e) => e.message).join('; ')}`);
    const value = d.toJS() as Json;
    return value === null ? [] : [value];
  });
}

function asResource(value: Json, source: string): Resource {
  const r = value as Partial<Resource>;
  if (typeof r !== 'object' || r === null || typeof r.apiVersion !== 'string' || typeof r.kind !== 'string' || typeof r.metadata?.name !== 'string') {
    throw new Error(`${source}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
  }
  return r as Resource;
}

const sameObject = (a: Resource, b: Resource) => a.kind === b.kind && a.metadata.name === b.metadata.name && a.apiVersion.split('/')[0] === b.apiVersion.split('/')[0];

function podSpecs(resource: Resource): Array<Record<string, Json>> {
  const template = (resource['spec'] as Record<string, Json> | undefined)?.['template'] as Record<string, Json> | undefined;
  const spec = template?.['spec'];
  return spec && typeof spec === 'object' && !Array.isArray(spec) ? [spec as Record<string, Json>] : [];
}

/** kustomize's images transformer: `name[:tag]` → `newName[:newTag]` (or `@digest`) wherever a container uses `name`. */
function setImages(resource: Resource, images: Array<{ name: string; newName?: string; newTag?: string; digest?: string }>): void {
  for (const spec of podSpecs(resource)) {
    for (const field of ['containers', 'initContainers']) {
      for (const container of (spec[field] as Array<Record<string, Json>> | undefined) ?? []) {
        const image = String(container['image']);
        const m = /^([^@:]+(?::\d+\/[^@:]+)?)(?::([^@]+))?(?:@(.+))?$/.exec(image);
        if (!m) continue;
        const rule = images.find((i) => i.name === m[1]);
        if (!rule) continue;
        const name = rule.newName ?? m[1]!;
        container['image'] = rule.digest ? `${name}@${rule.digest}` : `${name}:${rule.newTag ?? m[2] ?? 'latest'}`;
      }
    }
  }
}

export function renderKustomization(dir: string): Rendered {
  const file = join(dir, 'kustomization.yaml');
  const [raw] = readYamlDocuments(file);
  if (!validateKustomization(raw)) {
    throw new Error(`${relative(repoRoot, file)}: ${validateKustomization.errors?.map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`).join('; ')}`);
  }
  const k = raw as {
    namespace?: string;
    resources: string[];
    images?: Array<{ name: string; newName?: string; newTag?: string; digest?: string }>;
    replicas?: Array<{ name: string; count: number }>;
    patches?: Array<{ path: string }>;
  };
  const out: Rendered = { resources: [], kustomizations: [] };
  for (const entry of k.resources) {
    const path = resolve(dir, entry);
    if (!existsSync(path)) throw new Error(`${relative(repoRoot, file)}: resource ${entry} does not exist`);
    if (statSync(path).isDirectory()) {
      const inner = renderKustomization(path);
      out.resources.push(...inner.resources);
      out.kustomizations.push(...inner.kustomizations);
    } else {
      for (const doc of readYamlDocuments(path)) out.resources.push({ resource: asResource(doc, relative(repoRoot, path)), source: relative(repoRoot, path) });
    }
  }
  out.kustomizations.push(relative(repoRoot, file));
  const names = new Set<string>();
  for (const { resource } of out.resources) {
    const id = `${resource.apiVersion.split('/')[0]}/${resource.kind}/${resource.metadata.name}`;
    if (names.has(id)) throw new Error(`${relative(repoRoot, file)}: ${resource.kind} ${resource.metadata.name} is defined twice`);
    names.add(id);
  }

  for (const { path } of k.patches ?? []) {
    const patchFile = resolve(dir, path);
    for (const doc of readYamlDocuments(patchFile)) {
      const patch = asResource(doc, relative(repoRoot, patchFile));
      const target = out.resources.find((r) => sameObject(r.resource, patch));
      if (!target) throw new Error(`${relative(repoRoot, patchFile)}: no ${patch.kind} ${patch.metadata.name} to patch`);
      const builtIn = BUILT_IN_GROUPS.has(target.resource.apiVersion);
      target.resource = strategicMerge(target.resource as unknown as Json, patch as unknown as Json, builtIn) as unknown as Resource;
      target.source = `${target.source} + ${relative(repoRoot, patchFile)}`;
    }
  }
  for (const { name, count } of k.replicas ?? []) {
    const target = out.resources.find((r) => ['Deployment', 'StatefulSet', 'ReplicaSet'].includes(r.resource.kind) && r.resource.metadata.name === name);
    if (!target) throw new Error(`${relative(repoRoot, file)}: replicas names ${name}, which is not a workload here`);
    (target.resource['spec'] as Record<string, Json>)['replicas'] = count;
  }
  for (const { resource } of out.resources) setImages(resource, k.images ?? []);
  if (k.namespace) {
    for (const { resource } of out.resources) {
      if (resource.kind === 'Namespace') {
        if (resource.metadata.name !== k.namespace) throw new Error(`${relative(repoRoot, file)}: Namespace ${resource.metadata.name} is not the kustomization's namespace ${k.namespace}`);
      } else if (!CLUSTER_SCOPED.has(resource.kind)) resource.metadata = { ...resource.metadata, namespace: k.namespace };
    }
  }
  return out;
}

export const INFRA = join(repoRoot, 'infra');
