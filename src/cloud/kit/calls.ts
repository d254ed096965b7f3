import type { AwsService, Operation, RequestContext } from "../service.ts";
import type { ApiObject } from "./shapes.ts";

/** Calls one operation of an in-process service (providers talk to their service this way). */
export function caller(service: AwsService) {
  return async (
    operation: string,
    input: Record<string, unknown>,
    ctx: RequestContext,
  ): Promise<ApiObject> => {
    const handler = service.operations[operation];
    if (!handler) throw new Error(`${service.signingName} has no operation ${operation}`);
    return handler(input, ctx);
  };
}

/** Every item of a List operation paged with nextToken/maxResults. */
export async function listAll(
  list: Operation,
  input: Record<string, unknown>,
  member: string,
  ctx: RequestContext,
): Promise<Array<ApiObject>> {
  const items: Array<ApiObject> = [];
  let nextToken: string | undefined;
  do {
    const page = await list({ ...input, ...(nextToken ? { nextToken } : {}), maxResults: 100 }, ctx);
    items.push(...((page[member] as Array<ApiObject>) ?? []));
    nextToken = page["nextToken"] as string | undefined;
  } while (nextToken);
  return items;
}
