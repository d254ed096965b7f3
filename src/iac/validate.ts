import type { z } from "zod";
import type { ResourceType } from "../schemas/resource-type.ts";

/** Props that do not match the resource type's schema. Names paths and rules, never values (they may be sensitive). */
export class PropsValidationError extends Error {
  override readonly name = "PropsValidationError";
  constructor(
    readonly resourceId: string,
    readonly typeName: string,
    readonly problems: string[],
  ) {
    super(`${typeName} "${resourceId}": invalid props\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

// The Alchemy docs for these two types (seeds 000 and 001) show InputReferenceConfig shapes that
// do not exist; AWS's resource schemas define these.
const INPUT_REFERENCE_CONFIG: Record<string, string> = {
  "AWS::CleanRooms::IdMappingTable":
    "InputReferenceConfig is { InputReferenceArn: \"<ARN of an Entity Resolution ID mapping workflow, arn:aws:entityresolution:…:idmappingworkflow/…>\", ManageResourcePolicies: boolean } — both required. The { ReferenceType, ReferenceValues } shape in Alchemy's docs is not AWS's.",
  "AWS::CleanRooms::IdNamespaceAssociation":
    "InputReferenceConfig is { InputReferenceArn: \"<ARN of an Entity Resolution ID namespace, arn:aws:entityresolution:…:idnamespace/…>\", ManageResourcePolicies: boolean } — both required. The { referenceArn } shape in Alchemy's docs is not AWS's.",
};

const formatPath = (path: readonly PropertyKey[]): string =>
  path.length === 0 ? "(props)" : path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".");

/** The generated schemas word their own messages (src/schemas/aws/cfn-zod.ts); this adds where. */
function describe(issue: z.core.$ZodIssue): string {
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/**
 * Validates props with the type's one zod schema before anything is sent. `ignore(path)` lets plan
 * skip values that are only known after apply (another resource's Arn, say).
 */
export function validateProps(
  type: ResourceType,
  resourceId: string,
  props: Record<string, unknown>,
  ignore: (path: readonly PropertyKey[]) => boolean = () => false,
): void {
  const result = type.props.safeParse(props);
  if (result.success) return;
  const issues = result.error.issues.filter((issue) => !ignore(issue.path));
  if (issues.length === 0) return;
  const problems = issues.map(describe);
  const hint = INPUT_REFERENCE_CONFIG[type.typeName];
  if (
    hint &&
    issues.some(
      (issue) => issue.path[0] === "InputReferenceConfig" || mentions(issue, "InputReferenceConfig"),
    )
  ) {
    problems.push(hint);
  }
  throw new PropsValidationError(resourceId, type.typeName, problems);
}

const mentions = (issue: z.core.$ZodIssue, key: string): boolean =>
  issue.code === "unrecognized_keys" && issue.path.length === 0 && issue.keys.includes(key);
