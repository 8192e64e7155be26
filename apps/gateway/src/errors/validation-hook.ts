import { ValidationError } from '@facerec/errors';
import type { z } from '@hono/zod-openapi';

/** What the request held at an issue's path; zod 4 does not copy the input into its issues. */
function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Form and query values come as text; a field that arrives as a list was sent more than once. */
const TEXT_TARGETS = new Set(['form', 'query']);

function describeIssue(issue: z.core.$ZodIssue, data: unknown, target: string | undefined): { text: string; missing: boolean } {
  const path = issue.path.length ? issue.path.join('.') : 'body';
  const top = issue.path[0];
  if (target !== undefined && TEXT_TARGETS.has(target) && top !== undefined) {
    const sent = valueAt(data, [top]);
    // Named as the problem: the value check would otherwise blame a value the caller never sent.
    if (Array.isArray(sent)) return { text: `${String(top)} was sent ${sent.length} times; send it once`, missing: false };
  }
  const missing = data === undefined ? (issue as { input?: unknown }).input === undefined : valueAt(data, issue.path) === undefined;
  return { text: missing ? `${path} is required` : `${path}: ${issue.message}`, missing };
}

/**
 * `defaultHook` for every route: invalid input becomes our ValidationError (thrown, so the one error
 * responder shapes it) with a message naming each offending field. `data` is the input as the validator
 * saw it, which tells a missing field from a wrong one; `target` says where it came from (`form`,
 * `query`, `json`, ...).
 */
export function validationHook(result: { success: boolean; error?: z.ZodError; data?: unknown; target?: string }): void {
  if (result.success || !result.error) return;
  const issues = result.error.issues.map((i) => describeIssue(i, result.data, result.target));
  const code = issues.some((i) => i.missing) ? 'missing_field' : 'invalid_request';
  // One line per problem: a field sent twice gives one issue per schema check it failed.
  throw new ValidationError([...new Set(issues.map((i) => i.text))].join('; '), code);
}
