import { LOCAL_ACCOUNT_ID } from "../../cloud/service.ts";
import type { Step } from "../pipeline.ts";

/** Parses the call in the service's protocol, runs the operation and renders its answer (the last step). */
export function dispatch(): Step {
  return async function dispatch(c) {
    const call = await c.protocol.parse({ ...c.request, body: c.body });
    c.call = call;
    const operation = c.service?.operations[call.operation];
    if (!operation) throw c.protocol.unknownOperation(call.operation);
    const output = await operation(call.input, {
      accountId: LOCAL_ACCOUNT_ID,
      region: c.region ?? "",
      principal: c.principal,
      requestId: c.requestId,
    });
    c.response = c.protocol.render(call, output ?? {}, c.requestId);
  };
}
