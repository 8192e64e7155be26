/**
 * Validation of rendered manifests against the Kubernetes schemas, offline:
 *  - `kubernetes-models` (generated from Kubernetes' OpenAPI document): each object's JSON schema check
 *    (types, enums, required fields, formats) through its model's validate();
 *  - unknown fields: Kubernetes' schemas allow extra properties, so a misspelt `readinesProbe` would pass that
 *    check and be dropped by the API server. The same package's TypeScript interfaces are closed, so every object
 *    is compiled as a typed object literal and TypeScript's excess-property check names any field Kubernetes does
 *    not have;
 *  - custom resources with a schema in infra/k8s/schemas (KEDA's ScaledObject), with ajv.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import ts from 'typescript';
import type { Resource } from './kustomize.ts';

interface ModelRef {
  module: string;
  type: string;
}

/** The built-in kinds the manifests may use; another kind must be added here (and so gets validated). */
const MODELS: Record<string, ModelRef> = {
  'v1/ConfigMap': { module: 'kubernetes-models/v1/ConfigMap', type: 'IConfigMap' },
  'v1/Namespace': { module: 'kubernetes-models/v1/Namespace', type: 'INamespace' },
  'v1/Service': { module: 'kubernetes-models/v1/Service', type: 'IService' },
  'v1/Secret': { module: 'kubernetes-models/v1/Secret', type: 'ISecret' },
  'apps/v1/Deployment': { module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
  'apps/v1/StatefulSet': { module: 'kubernetes-models/apps/v1/StatefulSet', type: 'IStatefulSet' },
  'policy/v1/PodDisruptionBudget': { module: 'kubernetes-models/policy/v1/PodDisruptionBudget', type: 'IPodDisruptionBudget' },
};

const repoRoot = resolve(import.meta.dirname, '../..');
const ajv = new Ajv({ allErrors: true });
const CUSTOM: Record<string, ReturnType<Ajv['compile']>> = {
  'keda.sh/v1alpha1/ScaledObject': ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'infra/k8s/schemas/keda-scaledobject.schema.json'), 'utf8')) as object),
};

export interface Problem {
  source: string;
  object: string;
  message: string;
}

const key = (r: Resource) => `${r.apiVersion}/${r.kind}`;
const label = (r: Resource) => `${r.kind} ${r.metadata.name}`;

async function schemaProblems(item: { resource: Resource; source: string }): Promise<Problem[]> {
  const { resource, source } = item;
  const custom = CUSTOM[key(resource)];
  if (custom) {
    if (custom(resource)) return [];
    return (custom.errors ?? []).map((e) => ({
      source,
      object: label(resource),
      message: `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`,
    }));
  }
  const model = MODELS[key(resource)];
  if (!model) return [{ source, object: label(resource), message: `${key(resource)} has no schema here: add it to MODELS (or infra/k8s/schemas)` }];
  const mod = (await import(model.module)) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = mod[resource.kind];
  if (!Model) throw new Error(`${model.module} exports no ${resource.kind}`);
  try {
    new Model(structuredClone(resource)).validate();
    return [];
  } catch (err) {
    return [{ source, object: label(resource), message: (err as Error).message }];
  }
}

/** TypeScript's excess-property check over every built-in object, in one in-memory compilation. */
function unknownFieldProblems(items: Array<{ resource: Resource; source: string }>): Problem[] {
  const typed = items.filter((i) => MODELS[key(i.resource)]);
  if (typed.length === 0) return [];
  const imports = new Map<string, ModelRef>();
  for (const i of typed) imports.set(key(i.resource), MODELS[key(i.resource)]!);
  let code = [...imports.values()].map((m) => `import type { ${m.type} } from '${m.module}';`).join('\n') + '\n';
  const spans: Array<{ start: number; end: number; item: (typeof typed)[number] }> = [];
  typed.forEach((item, n) => {
    const start = code.length;
    code += `export const r${n}: ${MODELS[key(item.resource)]!.type} = ${JSON.stringify(item.resource, null, 1)};\n`;
    spans.push({ start, end: code.length, item });
  });
  // A file inside the repository, so the compiler resolves kubernetes-models from its node_modules.
  const fileName = join(repoRoot, 'test/deploy/__manifests__.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (f, lang, ...rest) => (f === fileName ? ts.createSourceFile(f, code, lang) : getSourceFile(f, lang, ...rest));
  host.fileExists = (f) => f === fileName || fileExists(f);
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(fileName)).map((d) => {
    const at = spans.find((s) => d.start !== undefined && d.start >= s.start && d.start < s.end);
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    return { source: at?.item.source ?? '(generated)', object: at ? label(at.item.resource) : '?', message };
  });
}

/** Every problem the schemas find in these objects; empty when all are valid. */
export async function validateManifests(items: Array<{ resource: Resource; source: string }>): Promise<Problem[]> {
  const problems = (await Promise.all(items.map(schemaProblems))).flat();
  return [...problems, ...unknownFieldProblems(items)];
}

export const describeProblems = (problems: Problem[]) => problems.map((p) => `${p.source} (${p.object}): ${p.message}`).join('\n');
