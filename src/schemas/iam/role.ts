import { z } from "zod";
import type { ResourceType } from "../resource-type.ts";

/** A policy document as CloudFormation accepts it: a JSON object, or its JSON text. */
export const PolicyDocument = z.union([z.record(z.string(), z.unknown()), z.string().min(1)]);

export const RoleTag = z.strictObject({
  Key: z.string().min(1).max(128),
  Value: z.string().max(256),
});

export const RolePolicy = z.strictObject({
  PolicyName: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\w+=,.@-]+$/, "may contain letters, digits and +=,.@_-"),
  PolicyDocument,
});

/** AWS::IAM::Role (AWS's CloudFormation resource schema). */
export const RoleProps = z.strictObject({
  /** The trust policy: who may assume the role (e.g. Service entityresolution.amazonaws.com). */
  AssumeRolePolicyDocument: PolicyDocument,
  Description: z.string().max(1000).optional(),
  ManagedPolicyArns: z.array(z.string()).optional(),
  MaxSessionDuration: z.number().int().min(3600).max(43_200).optional(),
  /** @default "/" */
  Path: z
    .string()
    .min(1)
    .max(512)
    .regex(/^(\/|\/[\u0021-\u007E]+\/)$/, "must start and end with '/'")
    .optional(),
  PermissionsBoundary: z.string().optional(),
  /** Inline policies. */
  Policies: z.array(RolePolicy).optional(),
  /** Generated when omitted. */
  RoleName: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w+=,.@-]+$/, "may contain letters, digits and +=,.@_-")
    .optional(),
  Tags: z.array(RoleTag).optional(),
});
export type RoleProps = z.infer<typeof RoleProps>;

export const RoleResource: ResourceType<typeof RoleProps> = {
  typeName: "AWS::IAM::Role",
  props: RoleProps,
  readOnly: ["Arn", "RoleId"],
  createOnly: ["Path", "RoleName"],
  writeOnly: [],
  primaryIdentifier: ["RoleName"],
};
