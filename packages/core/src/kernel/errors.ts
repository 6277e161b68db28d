import type { ErrorCode, ErrorParams, FieldIssue } from '@fiscus/contracts';

/**
 * A refusal with a stable code. Domain code throws or returns it; the edge turns it into
 * messages (zh-CN, en) and an HTTP status from the catalog in contracts.
 */
export class FiscusError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly issues: FieldIssue[] | undefined;

  constructor(code: ErrorCode, params: ErrorParams = {}, issues?: FieldIssue[]) {
    super(`${code} ${JSON.stringify(params)}`);
    this.name = 'FiscusError';
    this.code = code;
    this.params = params;
    this.issues = issues;
  }
}

export function fail(code: ErrorCode, params: ErrorParams = {}, issues?: FieldIssue[]): never {
  throw new FiscusError(code, params, issues);
}

export function isFiscusError(e: unknown): e is FiscusError {
  return e instanceof FiscusError;
}
