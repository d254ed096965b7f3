import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { rejectsWith } from "../../../test/support/aws-error-assertions.ts";
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type RequestContext } from "../service.ts";
import { openStore } from "../store/index.ts";
import { createIam, type Iam } from "./index.ts";
import { evaluate, parsePolicy, wildcardMatch } from "./policy.ts";

const ctx: RequestContext = { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, requestId: "test" };
const ER = "entityresolution.amazonaws.com";
const trustEr = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: ER }, Action: "sts:AssumeRole" }],
});
const trustOther = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "glue.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const readPolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Read",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:ListBucket"],
      Resource: ["arn:aws:s3:::crm", "arn:aws:s3:::crm/*"],
    },
    { Effect: "Allow", Action: "glue:Get*", Resource: "arn:aws:glue:us-east-1:000000000000:*" },
  ],
});

async function withIam(fn: (iam: Iam) => Promise<void>): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "idbridge-iam-"));
  const store = await openStore(home);
  try {
    await fn(createIam(store, LOCAL_ACCOUNT_ID));
  } finally {
    await store.close();
    rmSync(home, { recursive: true, force: true });
  }
}

test("roles: create, get (URL-encoded trust), list with paging, update, trust update, tags, delete conflicts", async () => {
  await withIam(async ({ service: { operations: iam } }) => {
    const { Role } = await iam.CreateRole!(
      {
        RoleName: "ErRole",
        Path: "/idb/",
        AssumeRolePolicyDocument: trustEr,
        Tags: [{ Key: "team", Value: "a" }],
      },
      ctx,
    );
    assert.equal(Role.Arn, "arn:aws:iam::000000000000:role/idb/ErRole");
    assert.match(Role.RoleId, /^AROA[A-Z0-9]{17}$/);
    assert.equal(Role.AssumeRolePolicyDocument, encodeURIComponent(trustEr));
    assert.equal(
      decodeURIComponent((await iam.GetRole!({ RoleName: "ErRole" }, ctx)).Role.AssumeRolePolicyDocument),
      trustEr,
    );
    await rejectsWith(iam.CreateRole!({ RoleName: "errole", AssumeRolePolicyDocument: trustEr }, ctx), {
      code: "EntityAlreadyExists",
      status: 409,
    });
    await rejectsWith(iam.CreateRole!({ RoleName: "bad name", AssumeRolePolicyDocument: trustEr }, ctx), {
      code: "ValidationError",
      status: 400,
      message: /roleName/,
    });
    await rejectsWith(iam.CreateRole!({ RoleName: "r2", AssumeRolePolicyDocument: "{not json" }, ctx), {
      code: "MalformedPolicyDocument",
      status: 400,
    });
    await rejectsWith(iam.GetRole!({ RoleName: "ghost" }, ctx), {
      code: "NoSuchEntity",
      status: 404,
      message: /ghost cannot be found/,
    });

    for (const n of ["b", "c"])
      await iam.CreateRole!({ RoleName: n, AssumeRolePolicyDocument: trustOther }, ctx);
    const first = await iam.ListRoles!({ MaxItems: 2 }, ctx);
    assert.equal(first.Roles.length, 2);
    assert.equal(first.IsTruncated, true);
    const second = await iam.ListRoles!({ MaxItems: 2, Marker: first.Marker }, ctx);
    assert.equal(second.Roles.length, 1);
    assert.equal(second.IsTruncated, false);
    assert.equal((await iam.ListRoles!({ PathPrefix: "/idb/" }, ctx)).Roles.length, 1);

    await iam.UpdateRole!({ RoleName: "ErRole", Description: "for ER", MaxSessionDuration: 7200 }, ctx);
    await iam.UpdateAssumeRolePolicy!({ RoleName: "ErRole", PolicyDocument: trustOther }, ctx);
    const updated = (await iam.GetRole!({ RoleName: "ErRole" }, ctx)).Role;
    assert.equal(updated.Description, "for ER");
    assert.equal(updated.MaxSessionDuration, 7200);
    assert.equal(decodeURIComponent(updated.AssumeRolePolicyDocument), trustOther);

    await iam.TagRole!(
      {
        RoleName: "ErRole",
        Tags: [
          { Key: "team", Value: "b" },
          { Key: "env", Value: "dev" },
        ],
      },
      ctx,
    );
    await iam.UntagRole!({ RoleName: "ErRole", TagKeys: ["env"] }, ctx);
    assert.deepEqual((await iam.ListRoleTags!({ RoleName: "ErRole" }, ctx)).Tags, [
      { Key: "team", Value: "b" },
    ]);

    await iam.PutRolePolicy!({ RoleName: "ErRole", PolicyName: "read", PolicyDocument: readPolicy }, ctx);
    assert.deepEqual((await iam.ListRolePolicies!({ RoleName: "ErRole" }, ctx)).PolicyNames, ["read"]);
    const got = await iam.GetRolePolicy!({ RoleName: "ErRole", PolicyName: "read" }, ctx);
    assert.equal(decodeURIComponent(got.PolicyDocument), readPolicy);
    await rejectsWith(iam.DeleteRole!({ RoleName: "ErRole" }, ctx), { code: "DeleteConflict", status: 409 });
    await rejectsWith(
      iam.PutRolePolicy!(
        {
          RoleName: "ErRole",
          PolicyName: "p",
          PolicyDocument: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:*" }] }),
        },
        ctx,
      ),
      { code: "MalformedPolicyDocument", status: 400 },
    );
    await rejectsWith(
      iam.PutRolePolicy!(
        {
          RoleName: "ErRole",
          PolicyName: "huge",
          PolicyDocument: JSON.stringify({
            Statement: [
              {
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: Array.from({ length: 400 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`),
              },
            ],
          }),
        },
        ctx,
      ),
      { code: "LimitExceeded", status: 409 },
    );
    await iam.DeleteRolePolicy!({ RoleName: "ErRole", PolicyName: "read" }, ctx);
    await rejectsWith(iam.DeleteRolePolicy!({ RoleName: "ErRole", PolicyName: "read" }, ctx), {
      code: "NoSuchEntity",
      status: 404,
    });
    await iam.DeleteRole!({ RoleName: "ErRole" }, ctx);
    await rejectsWith(iam.DeleteRole!({ RoleName: "ErRole" }, ctx), { code: "NoSuchEntity", status: 404 });
  });
});

test("policy evaluator: wildcards, NotAction/NotResource, explicit deny wins", () => {
  assert.ok(wildcardMatch("s3:Get*", "s3:getobject", true));
  assert.ok(wildcardMatch("arn:aws:s3:::crm/*", "arn:aws:s3:::crm/in/part-0.parquet"));
  assert.ok(!wildcardMatch("arn:aws:s3:::crm/*", "arn:aws:s3:::crm"));
  assert.ok(
    wildcardMatch(
      "arn:aws:glue:*:*:table/crm/cust?mers",
      "arn:aws:glue:us-east-1:000000000000:table/crm/customers",
    ),
  );
  assert.ok(!wildcardMatch("arn:aws:s3:::CRM/*", "arn:aws:s3:::crm/a"), "ARNs are case-sensitive");
  const policies = [
    { name: "p", document: parsePolicy(readPolicy, "identity") },
    {
      name: "guard",
      document: parsePolicy(
        JSON.stringify({
          Statement: [
            { Sid: "NoSecrets", Effect: "Deny", Action: "s3:*", Resource: "arn:aws:s3:::crm/secret/*" },
          ],
        }),
        "identity",
      ),
    },
    {
      name: "not",
      document: parsePolicy(
        JSON.stringify({
          Statement: [{ Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:s3:::other/*" }],
        }),
        "identity",
      ),
    },
  ];
  assert.equal(evaluate(policies, "s3:GetObject", "arn:aws:s3:::crm/in/a.csv").effect, "Allow");
  const deny = evaluate(policies, "s3:GetObject", "arn:aws:s3:::crm/secret/a.csv");
  assert.equal(deny.effect, "Deny");
  assert.equal(evaluate(policies, "iam:PassRole", "arn:aws:s3:::x").effect, "ImplicitDeny");
  assert.equal(evaluate(policies, "kms:Decrypt", "arn:aws:s3:::other/a").effect, "ImplicitDeny");
  assert.equal(evaluate(policies, "kms:Decrypt", "arn:aws:kms:us-east-1:000000000000:key/1").effect, "Allow");
});

test("assertRoleAllows: missing role, missing trust, missing permission and explicit deny say what to fix", async () => {
  await withIam(async (iam) => {
    const ops = iam.service.operations;
    const arn = "arn:aws:iam::000000000000:role/ErRole";
    const actions = ["s3:GetObject", "glue:GetTable"];
    const resources = ["arn:aws:s3:::crm/in/*", "arn:aws:glue:us-east-1:000000000000:table/crm/customers"];
    await rejectsWith(iam.assertRoleAllows(arn, ER, ["s3:GetObject"], resources.slice(0, 1)), {
      code: "AccessDeniedException",
      status: 403,
      message: /does not exist/,
    });
    await rejectsWith(
      iam.assertRoleAllows(
        "arn:aws:iam::111111111111:role/ErRole",
        ER,
        ["s3:GetObject"],
        resources.slice(0, 1),
      ),
      { code: "AccessDeniedException", status: 403, message: /account 111111111111/ },
    );

    await ops.CreateRole!({ RoleName: "ErRole", AssumeRolePolicyDocument: trustOther }, ctx);
    await rejectsWith(iam.assertRoleAllows(arn, ER, ["s3:GetObject"], resources.slice(0, 1)), {
      code: "AccessDeniedException",
      status: 403,
      message:
        /does not trust entityresolution\.amazonaws\.com.*"Principal":\{"Service":"entityresolution\.amazonaws\.com"\}/,
    });
    await ops.UpdateAssumeRolePolicy!({ RoleName: "ErRole", PolicyDocument: trustEr }, ctx);
    await rejectsWith(iam.assertRoleAllows(arn, ER, ["s3:GetObject"], resources.slice(0, 1)), {
      code: "AccessDeniedException",
      status: 403,
      message: /s3:GetObject on arn:aws:s3:::crm\/in\/\* \(no statement allows it\).*PutRolePolicy/,
    });
    await ops.PutRolePolicy!({ RoleName: "ErRole", PolicyName: "read", PolicyDocument: readPolicy }, ctx);
    await iam.assertRoleAllows(arn, ER, ["s3:GetObject"], resources.slice(0, 1));
    await iam.assertRoleAllows(arn, ER, ["glue:GetTable", "glue:GetDatabase"], resources.slice(1));
    await rejectsWith(iam.assertRoleAllows(arn, ER, ["s3:PutObject"], ["arn:aws:s3:::crm/out/*"]), {
      code: "AccessDeniedException",
      status: 403,
      message: /"Action":\["s3:PutObject"\],"Resource":\["arn:aws:s3:::crm\/out\/\*"\]/,
    });
    await ops.PutRolePolicy!(
      {
        RoleName: "ErRole",
        PolicyName: "deny",
        PolicyDocument: JSON.stringify({
          Statement: [{ Sid: "NoGlue", Effect: "Deny", Action: "glue:*", Resource: "*" }],
        }),
      },
      ctx,
    );
    await rejectsWith(iam.assertRoleAllows(arn, ER, actions.slice(1), resources.slice(1)), {
      code: "AccessDeniedException",
      status: 403,
      message: /glue:GetTable on .* \(explicitly denied by inline policy "deny" statement "NoGlue"\)/,
    });

    const conditioned = JSON.stringify({
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: ER },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
    await ops.UpdateAssumeRolePolicy!({ RoleName: "ErRole", PolicyDocument: conditioned }, ctx);
    await rejectsWith(iam.assertRoleAllows(arn, ER, ["s3:GetObject"], resources.slice(0, 1)), {
      code: "AccessDeniedException",
      status: 403,
      message: /does not trust/,
    });
  });
});
