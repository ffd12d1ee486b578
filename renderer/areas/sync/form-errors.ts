/**
 * Errors around the owner PIN steps: field errors checked with the contract's own schemas before
 * the PIN is asked, and which failures let the owner simply try the PIN again.
 */
import type { z } from 'zod';
import type { KasuwaErrorShape } from '../../../shared/errors';
import { fieldErrors } from '../../components/Field';

/** Errors keyed by field from zod issues, the same shape as an envelope's `details`. */
export function issueErrors(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  return fieldErrors(issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })));
}

/**
 * Whether the PIN dialog should stay open after a failure: only for a wrong owner PIN. Anything
 * else (a field, an unreachable server, the server refusing a code) is fixed elsewhere, so the
 * dialog gets out of the way. A wrong PIN is refused on this counter, with no details; the
 * server's own refusals carry details (its HTTP status).
 */
export function retryPin(error: KasuwaErrorShape): boolean {
  const fields = Object.keys(fieldErrors(error.details));
  if (fields.length > 0) return fields.every((field) => field === 'ownerPin');
  return error.code === 'unauthorized' && error.details === undefined;
}
