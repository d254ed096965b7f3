import type { z } from "zod";
import { RoleProps as Generated, RoleFacts } from "../aws/generated/iam-role.ts";
import { resourceTypeOf } from "../resource-type-of.ts";

/** AWS::IAM::Role: generated from AWS's CloudFormation resource schema (src/schemas/aws/cfn-schemas.json). */
export const RoleProps = Generated;
export type RoleProps = z.infer<typeof RoleProps>;

export const RoleResource = resourceTypeOf(RoleProps, RoleFacts);
