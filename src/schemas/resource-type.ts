import type { z } from "zod";

/**
 * One CloudFormation resource type: the single source of its shape, used by iac (validate props
 * before any call, plan diffs), the local cloud's Cloud Control providers, and serve's checks.
 * Property names are CloudFormation's (PascalCase), as in AWS's resource schema for the type.
 */
export interface ResourceType<Props extends z.ZodObject = z.ZodObject> {
  /** "AWS::CleanRooms::IdMappingTable" */
  readonly typeName: string;
  /** Writable properties (what a template or Alchemy program passes). Strict: unknown keys are errors. */
  readonly props: Props;
  /** Properties the service sets, returned by GetResource. */
  readonly readOnly: readonly string[];
  /** Changing one of these means replacement (Cloud Control answers NotUpdatable). */
  readonly createOnly: readonly string[];
  /** Accepted on create/update, never returned by GetResource. */
  readonly writeOnly: readonly string[];
  /** Names of the properties whose values, joined with "|", form the Cloud Control Identifier. */
  readonly primaryIdentifier: readonly string[];
}
