import assert from "node:assert/strict";
import { AwsError } from "../../src/cloud/aws-error.ts";

export interface ExpectedAwsError {
  /** AWS error code, e.g. "ValidationException". */
  code: string;
  /** HTTP status the real service answers with; unchecked when left out. */
  status?: number;
  /** A pattern the message must match; unchecked when left out. */
  message?: RegExp;
}

/** Asserts that `promise` rejects with the local cloud's AwsError carrying `expected`'s code (and status, message). */
export function rejectsWith(promise: Promise<unknown>, expected: ExpectedAwsError): Promise<void> {
  return assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AwsError, `expected AwsError ${expected.code}, got ${error}`);
    assert.equal(error.code, expected.code, error.message);
    if (expected.status !== undefined) assert.equal(error.status, expected.status);
    if (expected.message) assert.match(error.message, expected.message);
    return true;
  });
}
