import { z } from "zod";
import type { CloudDeps } from "../deps.ts";
import { parseInput } from "../kit/inputs.ts";
import { tagOperations } from "../kit/tagging.ts";
import type { Operation } from "../service.ts";
import { crNotFound } from "./errors.ts";
import { CR_TABLES } from "./records.ts";

interface Tagged {
  arn: string;
}

/** The table and key of the Clean Rooms resource an ARN names. */
function locate(deps: CloudDeps, arn: string): { table: string; key: string } {
  for (const table of Object.values(CR_TABLES)) {
    for (const [key, record] of deps.store.list<Tagged>(table)) {
      if (record.arn === arn) return { table, key };
    }
  }
  throw crNotFound("RESOURCE", arn, `Resource ${arn} not found`);
}

const TagResourceInput = z.object({ resourceArn: z.string(), tags: z.record(z.string(), z.string()) });

export function crTaggingOperations(deps: CloudDeps): Record<string, Operation> {
  return tagOperations(deps.store, {
    locate: (arn) => locate(deps, arn),
    readTagResource: (input) => parseInput(TagResourceInput, input),
  });
}
