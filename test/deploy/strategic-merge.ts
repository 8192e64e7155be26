/**
 * The part of Kubernetes' strategic merge patch that facerec's overlays use, with the same rules as kustomize:
 * maps merge key by key, `null` deletes a key, and lists of built-in objects with a merge key (containers and
 * env by `name`, volumeMounts by `mountPath`, container ports by `containerPort`, Service ports by `port`) merge
 * item by item; every other list is replaced. Custom resources (a KEDA ScaledObject) have no schema for the
 * API server to read merge keys from, so kustomize patches them as a JSON merge patch: every list is replaced.
 */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isMap = (v: Json | undefined): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Merge keys by field name and by the field that holds the list, for built-in kinds. */
function mergeKey(field: string, parentField: string | undefined): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'ports':
      // A container's ports merge by containerPort; a Service's (under spec) by port.
      return parentField === 'spec' ? 'port' : 'containerPort';
    default:
      return undefined;
  }
}

function mergeList(target: Json[], patch: Json[], key: string | undefined, builtIn: boolean): Json[] {
  if (!key || !builtIn) return patch;
  const out = [...target];
  for (const item of patch) {
    if (!isMap(item) || item[key] === undefined) throw new Error(`a patch item of a list merged by ${key} has no ${key}`);
    const at = out.findIndex((t) => isMap(t) && t[key] === item[key]);
    if (at < 0) out.push(item);
    else out[at] = mergeValue(out[at]!, item, undefined, builtIn);
  }
  return out;
}

function mergeValue(target: Json, patch: Json, field: string | undefined, builtIn: boolean, parentField?: string): Json {
  if (isMap(target) && isMap(patch)) {
    const out: { [k: string]: Json } = { ...target };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else if (out[k] === undefined) out[k] = v;
      else out[k] = mergeValue(out[k]!, v, k, builtIn, field);
    }
    return out;
  }
  if (Array.isArray(target) && Array.isArray(patch)) return mergeList(target, patch, field ? mergeKey(field, parentField) : undefined, builtIn);
  return patch;
}

/** `patch` laid over `target` (neither is changed). `builtIn`: the kind is one of Kubernetes' own. */
export function strategicMerge(target: Json, patch: Json, builtIn: boolean): Json {
  return mergeValue(target, patch, undefined, builtIn);
}
