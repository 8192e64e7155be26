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

function describeIssue(issue: z.core.$ZodIssue, data: unknown): { text: string; missing: boolean } {
  const path = issue.path.length ? issue.path.join('.') : 'body';
  const missing = data === undefined ? (issue as { input?: unknown }).input === undefined : valueAt(data, issue.path) === undefined;
  return { text: missing ? `${path} is required` : `${path}: ${issue.message}`, missing };
}

/**
 * `defaultHook` for every route: invalid input becomes our ValidationError (thrown, so the one error
 * responder shapes it) with a message naming each offending field. `data` is the input as the validator
 * saw it, which tells a missing field from a wrong one.
 */
export function validationHook(result: { success: boolean; error?: z.ZodError; data?: unknown }): void {
  if (result.success || !result.error) return;
  const issues = result.error.issues.map((i) => describeIssue(i, result.data));
  const code = issues.some((i) => i.missing) ? 'missing_field' : 'invalid_request';
  throw new ValidationError(issues.map((i) => i.text).join('; '), code);
}
