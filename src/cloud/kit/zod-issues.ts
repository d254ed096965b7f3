import type { z } from "zod";
import { issuePath } from "../../lib/issue-path.ts";

/**
 * One line per zod issue, naming the field by its path and never echoing the value (it may be PII):
 * "TableInput.StorageDescriptor.Columns[3].Name: Too big: expected string to have <=255 characters".
 */
export function describeIssues(error: z.ZodError, root = ""): string {
  return error.issues
    .map((issue) => {
      const path = issuePath(issue.path, root);
      return `${path || "(root)"}: ${issue.message}`;
    })
    .join("; ");
}

/** JSON Pointer style used by CloudFormation model validation: "#/TableInput/Name". */
export function describeIssuesAsPointers(error: z.ZodError): string {
  return error.issues
    .map((issue) => `#${issue.path.map((part) => `/${String(part)}`).join("")}: ${issue.message}`)
    .join("; ");
}
