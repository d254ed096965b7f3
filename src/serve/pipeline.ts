import type { AwsService } from "../cloud/service.ts";
import type { ParsedCall, ProtocolHandler, WireRequest, WireResponse } from "./protocol.ts";
import type { ParsedAuth } from "./sigv4.ts";

/**
 * What the steps of one request share. Each step (steps/*.ts) reads what the steps before it set and
 * adds its own part; the last one leaves `response`.
 */
export interface ServeContext {
  readonly request: WireRequest;
  readonly requestId: string;
  /** Parses and renders: the service's protocol once it is known, Cloud Control's JSON until then. */
  protocol: ProtocolHandler;
  /** Signing name of the service asked ("amc" for the AMC admin API); "unknown" until detected. */
  serviceName: string;
  service?: AwsService;
  /** How the caller proves who it is: SigV4 (header or presigned query) or the AMC bearer token. */
  scheme: "sigv4" | "bearer";
  /** The SigV4 fields of the request, once parsed. */
  sigV4?: ParsedAuth;
  /** The body as the next step should read it (buffered, limited, then decoded from aws-chunked). */
  body: AsyncIterable<Uint8Array> | Uint8Array;
  /** A buffered body exactly as received: what a SigV4 signature covers. */
  payload?: Uint8Array;
  /** Access key id or AMC client id of the authenticated caller. */
  principal?: string;
  /** Region of the caller's credential scope (the local region for the AMC API). */
  region?: string;
  call?: ParsedCall;
  response?: WireResponse;
  /** Class name of an unexpected (non-AWS) error answered 500, for the access log. */
  unexpected?: string;
}

/** One step of the request pipeline, in Hono's middleware shape: do a part, `await next()`, maybe finish. */
export type Step = (c: ServeContext, next: () => Promise<void>) => Promise<void>;

const done = Promise.resolve();

/** Runs the steps in order, each wrapping the ones after it. */
export function compose(steps: readonly Step[]): (c: ServeContext) => Promise<void> {
  return (c) => {
    const run = (index: number): Promise<void> => {
      const step = steps[index];
      return step ? step(c, () => run(index + 1)) : done;
    };
    return run(0);
  };
}
