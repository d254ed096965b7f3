import { type RoleProps, RoleResource } from "../../../schemas/iam/role.ts";
import { isAwsError, withIdentifier } from "../../kit/aws-errors.ts";
import { caller } from "../../kit/calls.ts";
import { generatedName } from "../../kit/generated-names.ts";
import { jsonEqual } from "../../kit/json-pointer.ts";
import type { ResourceProvider } from "../../provider.ts";
import type { AwsService, RequestContext } from "../../service.ts";

const asText = (document: unknown) => (typeof document === "string" ? document : JSON.stringify(document));
/** CloudFormation returns policy documents as JSON objects. */
const asObject = (encoded: string) => JSON.parse(decodeURIComponent(encoded)) as Record<string, unknown>;

export function roleProvider(iam: AwsService): ResourceProvider {
  const call = caller(iam);

  async function read(name: string, ctx: RequestContext) {
    const { Role } = await call("GetRole", { RoleName: name }, ctx);
    const { PolicyNames } = await call("ListRolePolicies", { RoleName: name, MaxItems: 1000 }, ctx);
    const policies = [];
    for (const PolicyName of PolicyNames as string[]) {
      const p = await call("GetRolePolicy", { RoleName: name, PolicyName }, ctx);
      policies.push({ PolicyName, PolicyDocument: asObject(p.PolicyDocument) });
    }
    const { AttachedPolicies } = await call(
      "ListAttachedRolePolicies",
      { RoleName: name, MaxItems: 1000 },
      ctx,
    );
    return {
      RoleName: Role.RoleName,
      Path: Role.Path,
      Arn: Role.Arn,
      RoleId: Role.RoleId,
      AssumeRolePolicyDocument: asObject(Role.AssumeRolePolicyDocument),
      MaxSessionDuration: Role.MaxSessionDuration,
      ...(Role.Description ? { Description: Role.Description } : {}),
      ...(Role.PermissionsBoundary
        ? { PermissionsBoundary: Role.PermissionsBoundary.PermissionsBoundaryArn }
        : {}),
      ...(policies.length > 0 ? { Policies: policies } : {}),
      ...(AttachedPolicies.length > 0
        ? { ManagedPolicyArns: (AttachedPolicies as Array<{ PolicyArn: string }>).map((a) => a.PolicyArn) }
        : {}),
      ...(Role.Tags?.length ? { Tags: Role.Tags } : {}),
    };
  }

  /** Brings inline policies, managed policy attachments and tags to the desired state. */
  async function converge(name: string, desired: RoleProps, ctx: RequestContext) {
    const current = await read(name, ctx);
    const wanted = new Map((desired.Policies ?? []).map((p) => [p.PolicyName, p.PolicyDocument]));
    for (const p of current.Policies ?? []) {
      if (!wanted.has(p.PolicyName))
        await call("DeleteRolePolicy", { RoleName: name, PolicyName: p.PolicyName }, ctx);
    }
    for (const [PolicyName, document] of wanted) {
      const existing = current.Policies?.find((p) => p.PolicyName === PolicyName);
      const parsed = typeof document === "string" ? JSON.parse(document) : document;
      if (!existing || !jsonEqual(existing.PolicyDocument, parsed)) {
        await call("PutRolePolicy", { RoleName: name, PolicyName, PolicyDocument: asText(document) }, ctx);
      }
    }
    const arns = new Set(desired.ManagedPolicyArns ?? []);
    for (const arn of current.ManagedPolicyArns ?? []) {
      if (!arns.has(arn)) await call("DetachRolePolicy", { RoleName: name, PolicyArn: arn }, ctx);
    }
    for (const arn of arns) {
      if (!current.ManagedPolicyArns?.includes(arn))
        await call("AttachRolePolicy", { RoleName: name, PolicyArn: arn }, ctx);
    }
    const tags = desired.Tags ?? [];
    const stale = (current.Tags ?? []).filter((t: { Key: string }) => !tags.some((d) => d.Key === t.Key));
    if (stale.length > 0)
      await call("UntagRole", { RoleName: name, TagKeys: stale.map((t: { Key: string }) => t.Key) }, ctx);
    if (tags.length > 0) await call("TagRole", { RoleName: name, Tags: tags }, ctx);
  }

  return {
    type: RoleResource,
    withGeneratedNames(desired, requestToken) {
      if (desired.RoleName !== undefined) return desired;
      return {
        ...desired,
        RoleName: generatedName("idbridge-role-", requestToken, 12),
      };
    },
    async create(desiredState, ctx) {
      const desired = desiredState as RoleProps;
      const name = desired.RoleName!;
      try {
        await call(
          "CreateRole",
          {
            RoleName: name,
            AssumeRolePolicyDocument: asText(desired.AssumeRolePolicyDocument),
            ...(desired.Path ? { Path: desired.Path } : {}),
            ...(desired.Description !== undefined ? { Description: desired.Description } : {}),
            ...(desired.MaxSessionDuration ? { MaxSessionDuration: desired.MaxSessionDuration } : {}),
            ...(desired.PermissionsBoundary ? { PermissionsBoundary: desired.PermissionsBoundary } : {}),
          },
          ctx,
        );
      } catch (error) {
        throw withIdentifier(error, name);
      }
      try {
        await converge(name, desired, ctx);
      } catch (error) {
        // A role half-made (a policy rejected) is removed, as CloudFormation rolls back a failed create.
        await this.delete(name, ctx).catch(() => undefined);
        throw error;
      }
      return { identifier: name, model: await read(name, ctx) };
    },
    async read(identifier, ctx) {
      try {
        return await read(identifier, ctx);
      } catch (error) {
        if (isAwsError(error, "NoSuchEntity")) return undefined;
        throw error;
      }
    },
    async update(identifier, desiredState, ctx) {
      const desired = desiredState as RoleProps;
      await call(
        "UpdateRole",
        {
          RoleName: identifier,
          Description: desired.Description ?? "",
          MaxSessionDuration: desired.MaxSessionDuration ?? 3600,
        },
        ctx,
      );
      await call(
        "UpdateAssumeRolePolicy",
        { RoleName: identifier, PolicyDocument: asText(desired.AssumeRolePolicyDocument) },
        ctx,
      );
      // UpdateRole has no boundary member: IAM sets one with PutRolePermissionsBoundary and
      // removes it with DeleteRolePermissionsBoundary (botocore iam 2010-05-08 service-2.json).
      const boundary = (await read(identifier, ctx)).PermissionsBoundary;
      if (desired.PermissionsBoundary && desired.PermissionsBoundary !== boundary) {
        await call(
          "PutRolePermissionsBoundary",
          { RoleName: identifier, PermissionsBoundary: desired.PermissionsBoundary },
          ctx,
        );
      } else if (!desired.PermissionsBoundary && boundary) {
        await call("DeleteRolePermissionsBoundary", { RoleName: identifier }, ctx);
      }
      await converge(identifier, desired, ctx);
      return read(identifier, ctx);
    },
    async delete(identifier, ctx) {
      const current = await read(identifier, ctx);
      for (const p of current.Policies ?? []) {
        await call("DeleteRolePolicy", { RoleName: identifier, PolicyName: p.PolicyName }, ctx);
      }
      for (const arn of current.ManagedPolicyArns ?? []) {
        await call("DetachRolePolicy", { RoleName: identifier, PolicyArn: arn }, ctx);
      }
      await call("DeleteRole", { RoleName: identifier }, ctx);
    },
    async list(ctx) {
      const out: Array<{ identifier: string; model: Record<string, unknown> }> = [];
      let Marker: string | undefined;
      do {
        const page = await call("ListRoles", { MaxItems: 1000, ...(Marker ? { Marker } : {}) }, ctx);
        for (const role of page.Roles)
          out.push({ identifier: role.RoleName, model: await read(role.RoleName, ctx) });
        Marker = page.Marker;
      } while (Marker);
      return out;
    },
  };
}
