import type { AwsService } from "../../cloud/service.ts";
import type { Step } from "../pipeline.ts";
import type { ProtocolHandler, WireRequest } from "../protocol.ts";
import type { RestRouter } from "../rest-json/route.ts";
import { AuthFailure, type ParsedAuth, parseAuthorization } from "../sigv4.ts";

export interface ServiceDetection {
  /** Protocols by SigV4 signing name. */
  protocols: Readonly<Record<string, ProtocolHandler | undefined>>;
  services: Readonly<Record<string, AwsService | undefined>>;
  amc: { protocol: ProtocolHandler; service?: AwsService };
  /** REST-JSON routers, to tell which service an unsigned request meant by its path. */
  restRouters: ReadonlyArray<[signingName: string, router: RestRouter]>;
}

/** Which service an unsigned request was meant for, so its "missing authentication" answer has that service's shape. */
function guessService(request: WireRequest, restRouters: ServiceDetection["restRouters"]): string {
  const target = request.headers["x-amz-target"];
  if (target?.startsWith("CloudApiService.")) return "cloudcontrolapi";
  if (target?.startsWith("AWSGlue.")) return "glue";
  if (request.headers["content-type"]?.startsWith("application/x-www-form-urlencoded")) return "iam";
  if (/(^|&)Action=/.test(request.rawQuery)) return "iam";
  for (const [name, router] of restRouters) if (router.hasPath(request.rawPath)) return name;
  return "s3";
}

/**
 * Decides who answers: the AMC admin API (bearer token, /amc/…) or the AWS service named by the SigV4
 * credential scope, whose protocol then parses the request and renders every answer, errors included.
 * A malformed Authorization header is refused only now, in the shape of the service it was meant for.
 */
export function detectService(options: ServiceDetection): Step {
  return async function detectService(c, next) {
    const { request } = c;
    const authorization = request.headers.authorization;
    const sigV4 = authorization?.startsWith("AWS4-") || /(^|&)X-Amz-Credential=/.test(request.rawQuery);
    if (authorization?.startsWith("Bearer ") || (!sigV4 && request.rawPath.startsWith("/amc/"))) {
      c.scheme = "bearer";
      c.serviceName = "amc";
      c.protocol = options.amc.protocol;
      c.service = options.amc.service;
      return next();
    }
    let parsed: ParsedAuth | undefined;
    let malformed: AuthFailure | undefined;
    try {
      parsed = parseAuthorization(request);
    } catch (error) {
      if (!(error instanceof AuthFailure)) throw error;
      malformed = error;
    }
    c.serviceName = parsed?.scope.service ?? guessService(request, options.restRouters);
    const protocol = options.protocols[c.serviceName];
    if (!protocol) {
      throw new AuthFailure(
        "malformed",
        `Credential should be scoped to correct service: '${c.serviceName}' is not a service of this local cloud.`,
      );
    }
    c.protocol = protocol;
    c.service = options.services[c.serviceName];
    if (malformed) throw malformed;
    c.scheme = "sigv4";
    c.sigV4 = parsed;
    return next();
  };
}
