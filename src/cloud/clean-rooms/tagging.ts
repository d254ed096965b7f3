import { z } from "zod";
import type { CloudDeps } from "../deps.ts";
import { parseInput, requireString } from "../entity-resolution/common.ts";
import type { Operation } from "../service.ts";
import { crNotFound } from "./errors.ts";
import { CR_TABLES } from "./records.ts";

interface Tagged {
  arn: string;
  tags: Record<string, string>;
}

/** The table and key of the Clean Rooms resource an ARN names. */
function locate(deps: CloudDeps, arn: string): { table: string; key: string; record: Tagged } {
  for (const table of Object.values(CR_TABLES)) {
    for (const [key, record] of deps.store.list<Tagged>(table)) {
      if (record.arn === arn) return { table, key, record };
    }
  }
  throw crNotFound("RESOURCE", arn, `Resource ${arn} not found`);
}

const TagResourceInput = z.object({ resourceArn: z.string(), tags: z.record(z.string(), z.string()) });

export function crTaggingOperations(deps: CloudDeps): Record<string, Operation> {
  return {
    async TagResource(input) {
      const request = parseInput(TagResourceInput, input);
      const { table, key } = locate(deps, request.resourceArn);
      await deps.store.transact((tx) => {
        const current = tx.get<Tagged>(table, key)!;
        tx.put(table, key, { ...current, tags: { ...current.tags, ...request.tags } });
      });
      return {};
    },
    async UntagResource(input) {
      const { table, key } = locate(deps, requireString(input, "resourceArn"));
      const raw = input["tagKeys"];
      const keys = Array.isArray(raw) ? raw.map(String) : typeof raw === "string" ? [raw] : [];
      await deps.store.transact((tx) => {
        const current = tx.get<Tagged>(table, key)!;
        tx.put(table, key, {
          ...current,
          tags: Object.fromEntries(Object.entries(current.tags).filter(([k]) => !keys.includes(k))),
        });
      });
      return {};
    },
    async ListTagsForResource(input) {
      return { tags: { ...locate(deps, requireString(input, "resourceArn")).record.tags } };
    },
  };
}
