import { createHash } from "node:crypto";
import { notFound, validation } from "../aws-error.ts";
import type { CloudDeps } from "../deps.ts";
import { parseArn } from "../kit/arns.ts";
import { requireString } from "../kit/inputs.ts";
import { tagOperations } from "../kit/tagging.ts";
import type { Operation } from "../service.ts";
import { accountKey, ER_TABLES } from "./records.ts";

const TABLE_OF_KIND: Record<string, string> = {
  schemamapping: ER_TABLES.schemaMappings,
  idnamespace: ER_TABLES.idNamespaces,
  idmappingworkflow: ER_TABLES.idMappingWorkflows,
};

/** The store location of the ER resource an ARN names, or ResourceNotFoundException. */
function locate(deps: CloudDeps, arn: string): { table: string; key: string } {
  const parsed = parseArn(arn);
  const slash = parsed?.resource.indexOf("/") ?? -1;
  if (parsed?.service !== "entityresolution" || slash < 0) {
    throw validation(`${arn} is not an Entity Resolution resource ARN`);
  }
  const table = TABLE_OF_KIND[parsed.resource.slice(0, slash)];
  const key = accountKey(parsed.accountId, parsed.resource.slice(slash + 1));
  if (!table || !deps.store.get(table, key)) throw notFound(`The resource ${arn} does not exist`);
  return { table, key };
}

interface PolicyRecord {
  policy: string;
  token: string;
}

export function taggingOperations(deps: CloudDeps): Record<string, Operation> {
  const { store } = deps;
  return {
    ...tagOperations(store, {
      locate: (arn) => locate(deps, arn),
      readTagResource(input) {
        const resourceArn = requireString(input, "resourceArn");
        locate(deps, resourceArn);
        const tags = input["tags"];
        if (!tags || typeof tags !== "object") throw validation("tags is required");
        return { resourceArn, tags: tags as Record<string, string> };
      },
    }),
    async GetPolicy(input) {
      const arn = requireString(input, "arn");
      locate(deps, arn);
      const record = store.get<PolicyRecord>(ER_TABLES.policies, arn);
      if (!record) throw notFound(`The resource ${arn} has no policy`);
      return { arn, token: record.token, policy: record.policy };
    },
    async PutPolicy(input) {
      const arn = requireString(input, "arn");
      const policy = requireString(input, "policy");
      locate(deps, arn);
      try {
        JSON.parse(policy);
      } catch {
        throw validation("policy must be a JSON policy document");
      }
      const current = store.get<PolicyRecord>(ER_TABLES.policies, arn);
      if (current && input["token"] !== undefined && input["token"] !== current.token) {
        throw validation("token does not match the policy's current revision; get the policy again");
      }
      const token = createHash("sha256")
        .update(`${arn}\n${policy}\n${Date.now()}`)
        .digest("hex")
        .slice(0, 36);
      await store.transact((tx) => tx.put(ER_TABLES.policies, arn, { policy, token }));
      return { arn, token, policy };
    },
  };
}
