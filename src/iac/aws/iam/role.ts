import type { z } from "zod";
import { RoleResource } from "../../../schemas/iam/role.ts";
import { defineResource } from "../../resource.ts";

/** AWS::IAM::Role properties (CloudFormation names). RoleName and Path are create-only. */
export type RoleProps = z.input<typeof RoleResource.props>;

export interface Role extends RoleProps {
  readonly RoleName: string;
  /** arn:aws:iam::<account>:role/<RoleName> — the SOURCE namespace's RoleArn. */
  readonly Arn: string;
  readonly RoleId: string;
}

/**
 * An IAM role. On the AMC route: the SOURCE ID namespace pass role, trusted by
 * entityresolution.amazonaws.com, allowed to read the bucket and the Glue tables (Amazon Ads' AMC guide
 * "Bring identity data into the collaboration instance", "Setup tasks for AWS Entity Resolution").
 *
 * @example
 * const role = await AWS.IAM.Role("source-namespace-role", {
 *   RoleName: "amc-identity-source",
 *   AssumeRolePolicyDocument: {
 *     Version: "2012-10-17",
 *     Statement: [{ Effect: "Allow", Principal: { Service: ["entityresolution.amazonaws.com"] }, Action: "sts:AssumeRole" }],
 *   },
 *   Policies: [{ PolicyName: "read", PolicyDocument: { Version: "2012-10-17", Statement: [] } }],
 * });
 */
export const Role = defineResource<RoleProps, Role>(RoleResource);
