import { randomBytes } from "node:crypto";
import { AwsError } from "../aws-error.ts";
import type { CloudDeps } from "../deps.ts";
import { decodeOffsetToken, pageFrom } from "../kit/paging.ts";
import type { ResourceProvider } from "../provider.ts";
import type { AwsService, Operation, RequestContext } from "../service.ts";
import type { Store } from "../store.ts";
import {
  type Decision,
  describeStatement,
  evaluate,
  evaluateTrust,
  type NamedPolicy,
  parsePolicy,
} from "./policy.ts";
import { roleProvider } from "./providers/role.ts";

const ROLES = "iam.roles";
const ROLE_POLICIES = "iam.rolePolicies";

/** IAM quota: the inline policies of one role together may hold at most 10,240 characters. */
export const MAX_ROLE_INLINE_POLICY_CHARS = 10_240;
const MAX_ITEMS = 1000;

export interface Tag {
  Key: string;
  Value: string;
}

export interface RoleRecord {
  Path: string;
  RoleName: string;
  RoleId: string;
  Arn: string;
  CreateDate: string;
  /** The JSON text as the caller sent it (rendered URL-encoded, as IAM answers). */
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  PermissionsBoundary?: string;
  Tags: Tag[];
  AttachedPolicyArns: string[];
}

export interface RolePolicyRecord {
  RoleName: string;
  PolicyName: string;
  PolicyDocument: string;
}

type Input = Parameters<Operation>[0];

const validationError = (message: string) => new AwsError("ValidationError", message, 400);
const noSuchRole = (name: string) =>
  new AwsError("NoSuchEntity", `The role with name ${name} cannot be found.`, 404);
// IAM names are unique case-insensitively.
const roleKey = (name: string) => name.toLowerCase();
const policyKey = (role: string, policy: string) => `${roleKey(role)}/${policy}`;
/** IAM answers policy documents URL-encoded (RFC 3986). */
export const encodePolicy = (json: string) => encodeURIComponent(json);

function requireMatch(
  input: Input,
  member: string,
  pattern: RegExp,
  max: number,
  optional = false,
): string | undefined {
  const value = input[member];
  if (value === undefined && optional) return undefined;
  if (typeof value !== "string" || value.length < 1 || value.length > max || !pattern.test(value)) {
    throw validationError(
      `1 validation error detected: Value at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must have length between 1 and ${max} and match pattern ${pattern.source}`,
    );
  }
  return value;
}

const NAME = /^[\w+=,.@-]+$/;
const PATH = /^(\/|\/[\u0021-\u007E]+\/)$/;
// IAM policy documents: tab, LF, CR and U+0020–U+00FF (the model's policyDocumentType pattern).
const DOCUMENT = /^[\t\n\r\u0020-\u00FF]+$/;

function renderRole(role: RoleRecord, withTags = true) {
  const {
    AttachedPolicyArns: _,
    Tags,
    CreateDate,
    AssumeRolePolicyDocument,
    PermissionsBoundary,
    ...rest
  } = role;
  return {
    ...rest,
    CreateDate: new Date(CreateDate),
    AssumeRolePolicyDocument: encodePolicy(AssumeRolePolicyDocument),
    ...(PermissionsBoundary
      ? {
          PermissionsBoundary: {
            PermissionsBoundaryType: "PermissionsBoundaryPolicy",
            PermissionsBoundaryArn: PermissionsBoundary,
          },
        }
      : {}),
    ...(withTags && Tags.length > 0 ? { Tags } : {}),
    RoleLastUsed: {},
  };
}

function pageOf<T>(items: T[], input: Input): { page: T[]; IsTruncated: boolean; Marker?: string } {
  const max = Math.min(Math.max(Number(input.MaxItems ?? 100), 1), MAX_ITEMS);
  const start = input.Marker ? decodeOffsetToken(input.Marker) : 0;
  if (start === undefined) throw validationError("Invalid Marker.");
  const { page, next } = pageFrom(items, start, max);
  return { page, IsTruncated: next !== undefined, ...(next !== undefined ? { Marker: next } : {}) };
}

function parseTags(value: unknown): Tag[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 50)
    throw validationError("Tags: at most 50 tags, each {Key, Value}.");
  return value.map((t, i) => {
    if (
      !t ||
      typeof t.Key !== "string" ||
      t.Key.length < 1 ||
      t.Key.length > 128 ||
      typeof t.Value !== "string" ||
      t.Value.length > 256
    ) {
      throw validationError(`Tags[${i}]: Key must be 1-128 characters and Value at most 256.`);
    }
    return { Key: t.Key, Value: t.Value };
  });
}

const mergeTags = (current: Tag[], added: Tag[]) => [
  ...current.filter((t) => !added.some((a) => a.Key === t.Key)),
  ...added,
];

export interface Iam {
  readonly service: AwsService;
  /** The Cloud Control providers of its CloudFormation types. */
  readonly providers: ResourceProvider[];
  /** See CloudDeps.iam.assertRoleAllows. */
  assertRoleAllows: CloudDeps["iam"]["assertRoleAllows"];
}

/** IAM roles with trust and inline policies, and the evaluator other services use for AccessDenied. */
export function createIam(store: Store, accountId: string): Iam {
  const roleOf = (name: string): RoleRecord => {
    const role = store.get<RoleRecord>(ROLES, roleKey(name));
    if (!role) throw noSuchRole(name);
    return role;
  };
  const inlinePolicies = (roleName: string) =>
    store.list<RolePolicyRecord>(ROLE_POLICIES, `${roleKey(roleName)}/`);

  const operations: Record<string, Operation> = {
    async CreateRole(input, ctx) {
      const name = requireMatch(input, "RoleName", NAME, 64)!;
      const path = requireMatch(input, "Path", PATH, 512, true) ?? "/";
      const trust = requireMatch(input, "AssumeRolePolicyDocument", DOCUMENT, 131_072)!;
      parsePolicy(trust, "trust");
      const description = input.Description;
      if (description !== undefined && (typeof description !== "string" || description.length > 1000)) {
        throw validationError("Description: at most 1000 characters.");
      }
      const maxSession = Number(input.MaxSessionDuration ?? 3600);
      if (!Number.isInteger(maxSession) || maxSession < 3600 || maxSession > 43_200) {
        throw validationError("MaxSessionDuration: must be between 3600 and 43200 seconds.");
      }
      const role: RoleRecord = {
        Path: path,
        RoleName: name,
        RoleId: `AROA${randomBytes(16)
          .toString("hex")
          .toUpperCase()
          .replace(/[^A-Z0-9]/g, "")
          .slice(0, 17)}`,
        Arn: `arn:aws:iam::${ctx.accountId}:role${path}${name}`,
        CreateDate: new Date().toISOString(),
        AssumeRolePolicyDocument: trust,
        ...(description !== undefined ? { Description: description } : {}),
        MaxSessionDuration: maxSession,
        ...(typeof input.PermissionsBoundary === "string"
          ? { PermissionsBoundary: input.PermissionsBoundary }
          : {}),
        Tags: parseTags(input.Tags),
        AttachedPolicyArns: [],
      };
      await store.transact((tx) => {
        if (tx.get(ROLES, roleKey(name))) {
          throw new AwsError("EntityAlreadyExists", `Role with name ${name} already exists.`, 409);
        }
        tx.put(ROLES, roleKey(name), role);
      });
      return { Role: renderRole(role) };
    },

    async GetRole(input) {
      return { Role: renderRole(roleOf(requireMatch(input, "RoleName", NAME, 64)!)) };
    },

    async ListRoles(input) {
      const prefix = typeof input.PathPrefix === "string" ? input.PathPrefix : "/";
      const roles = store
        .list<RoleRecord>(ROLES)
        .map(([, r]) => r)
        .filter((r) => r.Path.startsWith(prefix));
      const { page, ...rest } = pageOf(roles, input);
      return { Roles: page.map((r) => renderRole(r, false)), ...rest };
    },

    async UpdateRole(input) {
      const name = requireMatch(input, "RoleName", NAME, 64)!;
      await store.transact((tx) => {
        const role = tx.get<RoleRecord>(ROLES, roleKey(name));
        if (!role) throw noSuchRole(name);
        const next = { ...role };
        if (input.Description !== undefined) {
          if (typeof input.Description !== "string" || input.Description.length > 1000) {
            throw validationError("Description: at most 1000 characters.");
          }
          next.Description = input.Description;
        }
        if (input.MaxSessionDuration !== undefined) {
          const seconds = Number(input.MaxSessionDuration);
          if (!Number.isInteger(seconds) || seconds < 3600 || seconds > 43_200) {
            throw validationError("MaxSessionDuration: must be between 3600 and 43200 seconds.");
          }
          next.MaxSessionDuration = seconds;
        }
        tx.put(ROLES, roleKey(name), next);
      });
      return {};
    },

    async UpdateAssumeRolePolicy(input) {
      const name = requireMatch(input, "RoleName", NAME, 64)!;
      const document = requireMatch(input, "PolicyDocument", DOCUMENT, 131_072)!;
      parsePolicy(document, "trust");
      await store.transact((tx) => {
        const role = tx.get<RoleRecord>(ROLES, roleKey(name));
        if (!role) throw noSuchRole(name);
        tx.put(ROLES, roleKey(name), { ...role, AssumeRolePolicyDocument: document });
      });
      return {};
    },

    async PutRolePermissionsBoundary(input) {
      const name = requireMatch(input, "RoleName", NAME, 64)!;
      const boundary = input.PermissionsBoundary;
      // botocore's arnType: 20 to 2048 characters.
      if (
        typeof boundary !== "string" ||
        boundary.length < 20 ||
        boundary.length > 2048 ||
        !boundary.startsWith("arn:")
      ) {
        throw validationError("PermissionsBoundary: the ARN of a managed policy (20 to 2048 characters).");
      }
      await store.transact((tx) => {
        const role = tx.get<RoleRecord>(ROLES, roleKey(name));
        if (!role) throw noSuchRole(name);
        tx.put(ROLES, roleKey(name), { ...role, PermissionsBoundary: boundary });
      });
      return {};
    },

    async DeleteRolePermissionsBoundary(input) {
      const name = requireMatch(input, "RoleName", NAME, 64)!;
      await store.transact((tx) => {
        const role = tx.get<RoleRecord>(ROLES, roleKey(name));
        if (!role) throw noSuchRole(name);
        const { PermissionsBoundary: _, ...rest } = role;
        tx.put(ROLES, roleKey(name), rest);
      });
      return {};
    },

    async DeleteRole(input) {
      const name = requireMatch(input, "RoleName", NAME, 64)!;
      await store.transact((tx) => {
        const role = tx.get<RoleRecord>(ROLES, roleKey(name));
        if (!role) throw noSuchRole(name);
        if (store.list(ROLE_POLICIES, `${roleKey(name)}/`).length > 0 || role.AttachedPolicyArns.length > 0) {
          throw new AwsError("DeleteConflict", "Cannot delete entity, must delete policies first.", 409);
        }
        tx.delete(ROLES, roleKey(name));
      });
      return {};
    },

    async PutRolePolicy(input) {
      const roleName = requireMatch(input, "RoleName", NAME, 64)!;
      const policyName = requireMatch(input, "PolicyName", NAME, 128)!;
      const document = requireMatch(input, "PolicyDocument", DOCUMENT, 131_072)!;
      parsePolicy(document, "identity");
      await store.transact((tx) => {
        const role = tx.get<RoleRecord>(ROLES, roleKey(roleName));
        if (!role) throw noSuchRole(roleName);
        const others = store
          .list<RolePolicyRecord>(ROLE_POLICIES, `${roleKey(roleName)}/`)
          .filter(([, p]) => p.PolicyName !== policyName)
          .reduce((sum, [, p]) => sum + p.PolicyDocument.replace(/\s/g, "").length, 0);
        // IAM counts the aggregate size without whitespace.
        if (others + document.replace(/\s/g, "").length > MAX_ROLE_INLINE_POLICY_CHARS) {
          throw new AwsError(
            "LimitExceeded",
            `Maximum policy size of ${MAX_ROLE_INLINE_POLICY_CHARS} bytes exceeded for role ${role.RoleName}`,
            409,
          );
        }
        tx.put<RolePolicyRecord>(ROLE_POLICIES, policyKey(roleName, policyName), {
          RoleName: role.RoleName,
          PolicyName: policyName,
          PolicyDocument: document,
        });
      });
      return {};
    },

    async GetRolePolicy(input) {
      const roleName = requireMatch(input, "RoleName", NAME, 64)!;
      const policyName = requireMatch(input, "PolicyName", NAME, 128)!;
      const role = roleOf(roleName);
      const policy = store.get<RolePolicyRecord>(ROLE_POLICIES, policyKey(roleName, policyName));
      if (!policy) {
        throw new AwsError("NoSuchEntity", `The role policy with name ${policyName} cannot be found.`, 404);
      }
      return {
        RoleName: role.RoleName,
        PolicyName: policyName,
        PolicyDocument: encodePolicy(policy.PolicyDocument),
      };
    },

    async DeleteRolePolicy(input) {
      const roleName = requireMatch(input, "RoleName", NAME, 64)!;
      const policyName = requireMatch(input, "PolicyName", NAME, 128)!;
      await store.transact((tx) => {
        if (!tx.get(ROLES, roleKey(roleName))) throw noSuchRole(roleName);
        if (!tx.get(ROLE_POLICIES, policyKey(roleName, policyName))) {
          throw new AwsError("NoSuchEntity", `The role policy with name ${policyName} cannot be found.`, 404);
        }
        tx.delete(ROLE_POLICIES, policyKey(roleName, policyName));
      });
      return {};
    },

    async ListRolePolicies(input) {
      const roleName = requireMatch(input, "RoleName", NAME, 64)!;
      roleOf(roleName);
      const { page, ...rest } = pageOf(
        inlinePolicies(roleName).map(([, p]) => p.PolicyName),
        input,
      );
      return { PolicyNames: page, ...rest };
    },

    async AttachRolePolicy(input) {
      const roleName = requireMatch(input, "RoleName", NAME, 64)!;
      const arn = requireMatch(input, "PolicyArn", /^arn:aws[\w-]*:iam::(aws|\d{12}):policy\/.+$/, 2048)!;
      await store.transact((tx) => {
        const role = tx.get<RoleRecord>(ROLES, roleKey(roleName));
        if (!role) throw noSuchRole(roleName);
        if (!role.AttachedPolicyArns.includes(arn)) {
          tx.put(ROLES, roleKey(roleName), {
            ...role,
            AttachedPolicyArns: [...role.AttachedPolicyArns, arn],
          });
        }
      });
      return {};
    },

    async DetachRolePolicy(input) {
      const roleName = requireMatch(input, "RoleName", NAME, 64)!;
      const arn = requireMatch(input, "PolicyArn", /^arn:.+$/, 2048)!;
      await store.transact((tx) => {
        const role = tx.get<RoleRecord>(ROLES, roleKey(roleName));
        if (!role) throw noSuchRole(roleName);
        if (!role.AttachedPolicyArns.includes(arn)) {
          throw new AwsError("NoSuchEntity", `Policy ${arn} was not found.`, 404);
        }
        tx.put(ROLES, roleKey(roleName), {
          ...role,
          AttachedPolicyArns: role.AttachedPolicyArns.filter((a) => a !== arn),
        });
      });
      return {};
    },

    async ListAttachedRolePolicies(input) {
      const role = roleOf(requireMatch(input, "RoleName", NAME, 64)!);
      const { page, ...rest } = pageOf(role.AttachedPolicyArns, input);
      return {
        AttachedPolicies: page.map((arn) => ({
          PolicyArn: arn,
          PolicyName: arn.slice(arn.lastIndexOf("/") + 1),
        })),
        ...rest,
      };
    },

    async TagRole(input) {
      const roleName = requireMatch(input, "RoleName", NAME, 64)!;
      const tags = parseTags(input.Tags);
      await store.transact((tx) => {
        const role = tx.get<RoleRecord>(ROLES, roleKey(roleName));
        if (!role) throw noSuchRole(roleName);
        const merged = mergeTags(role.Tags, tags);
        if (merged.length > 50) throw new AwsError("LimitExceeded", "A role can have at most 50 tags.", 409);
        tx.put(ROLES, roleKey(roleName), { ...role, Tags: merged });
      });
      return {};
    },

    async UntagRole(input) {
      const roleName = requireMatch(input, "RoleName", NAME, 64)!;
      const keys: string[] = Array.isArray(input.TagKeys) ? input.TagKeys : [];
      await store.transact((tx) => {
        const role = tx.get<RoleRecord>(ROLES, roleKey(roleName));
        if (!role) throw noSuchRole(roleName);
        tx.put(ROLES, roleKey(roleName), { ...role, Tags: role.Tags.filter((t) => !keys.includes(t.Key)) });
      });
      return {};
    },

    async ListRoleTags(input) {
      const role = roleOf(requireMatch(input, "RoleName", NAME, 64)!);
      const { page, ...rest } = pageOf(role.Tags, input);
      return { Tags: page, ...rest };
    },
  };

  async function assertRoleAllows(
    roleArn: string,
    servicePrincipal: string,
    actions: string[],
    resources: string[],
  ): Promise<void> {
    const denied = (message: string) => new AwsError("AccessDeniedException", message, 403);
    const match = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
    if (!match) throw denied(`${roleArn} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`);
    if (match[1] !== accountId) {
      throw denied(
        `Role ${roleArn} is in account ${match[1]}; the local cloud is account ${accountId}. Use a role of this account.`,
      );
    }
    const role = store.get<RoleRecord>(ROLES, roleKey(match[2]!));
    if (!role || role.Arn !== roleArn) {
      throw denied(
        `Cannot assume role ${roleArn}: the role does not exist. Create it (iam CreateRole) or fix the role ARN.`,
      );
    }
    const trustStatement = JSON.stringify({
      Effect: "Allow",
      Principal: { Service: servicePrincipal },
      Action: "sts:AssumeRole",
    });
    const trust = evaluateTrust(parsePolicy(role.AssumeRolePolicyDocument, "trust"), servicePrincipal, {
      "aws:sourceaccount": accountId,
    });
    if (trust.effect !== "Allow") {
      throw denied(
        `Role ${roleArn} does not trust ${servicePrincipal}: in its trust policy (AssumeRolePolicyDocument) sts:AssumeRole is ${describeStatement(trust)}. ` +
          `Add this statement to the trust policy (iam UpdateAssumeRolePolicy): ${trustStatement}`,
      );
    }
    const policies: NamedPolicy[] = inlinePolicies(role.RoleName).map(([, p]) => ({
      name: `inline policy "${p.PolicyName}"`,
      document: parsePolicy(p.PolicyDocument, "identity"),
    }));
    const missing: Array<{ action: string; resource: string; decision: Decision }> = [];
    for (const action of actions) {
      for (const resource of resources) {
        const decision = evaluate(policies, action, resource, { "aws:sourceaccount": accountId });
        if (decision.effect !== "Allow") missing.push({ action, resource, decision });
      }
    }
    if (missing.length === 0) return;
    const lines = missing.map((m) => `${m.action} on ${m.resource} (${describeStatement(m.decision)})`);
    const explicit = missing.some((m) => m.decision.effect === "Deny");
    const fix = JSON.stringify({
      Effect: "Allow",
      Action: [...new Set(missing.map((m) => m.action))],
      Resource: [...new Set(missing.map((m) => m.resource))],
    });
    const managed =
      role.AttachedPolicyArns.length > 0
        ? " Managed policies attached to the role are not evaluated locally; use inline policies."
        : "";
    throw denied(
      `Role ${roleArn}, assumed by ${servicePrincipal}, is not allowed to perform: ${lines.join("; ")}. ` +
        (explicit
          ? "Remove or narrow the Deny statements named above."
          : `Add this statement to one of the role's inline policies (iam PutRolePolicy): ${fix}`) +
        managed,
    );
  }

  const service: AwsService = { signingName: "iam", operations };
  return { service, providers: [roleProvider(service)], assertRoleAllows };
}

export type { RequestContext };
