import { ValidationError } from '@facerec/errors';
import type { z } from '@hono/zod-openapi';

function describeIssue(issue: z.core.$ZodIssue): { text: string; missing: boolean } {
  const path = issue.path.length ? issue.path.join('.') : 'body';
  const missing = (issue as { input?: unknown }).input === undefined;
  return { text: missing ? `${path} is required` : `${path}: ${issue.message}`, missing };
}

/**
 * `defaultHook` for every route: invalid input becomes our ValidationError (thrown, so the one error
 * responder shapes it) with a message naming each offending field.
 */
export function validationHook(result: { success: boolean; error?: z.ZodError }): void {
  if (result.success || !result.error) return;
  const issues = result.error.issues.map(describeIssue);
  const code = issues.some((i) => i.missing) ? 'missing_field' : 'invalid_request';
  throw new ValidationError(issues.map((i) => i.text).join('; '), code);
}
