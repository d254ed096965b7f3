import { randomUUID, timingSafeEqual } from "node:crypto";
import { performance } from "node:perf_hooks";
import { AwsError } from "../cloud/aws-error.ts";
import { type AwsService, LOCAL_ACCOUNT_ID, type RequestContext } from "../cloud/service.ts";
import { type AmcRoute, amcProtocol } from "./amc/index.ts";
import { decodeAwsChunked } from "./aws-chunked.ts";
import { awsJsonProtocol } from "./aws-json/index.ts";
import { asStream, discardBody, readBody } from "./body.ts";
import { verifyChecksums } from "./checksums.ts";
import type { LocalCredentials } from "./credentials.ts";
import { cleanRoomsRoutes, cleanRoomsTimestampMembers } from "./models/cleanrooms.ts";
import { cloudControlTimestampMembers } from "./models/cloudcontrol.ts";
import { entityResolutionRoutes, entityResolutionTimestampMembers } from "./models/entityresolution.ts";
import { glueTimestampMembers } from "./models/glue.ts";
import { iamBooleanMembers, iamNumberMembers } from "./models/iam.ts";
import type {
  AuthenticatedRequest,
  ParsedCall,
  ProtocolHandler,
  WireRequest,
  WireResponse,
} from "./protocol.ts";
import { queryProtocol } from "./query/index.ts";
import { restJsonProtocol } from "./rest-json/index.ts";
import { RestRouter } from "./rest-json/route.ts";
import { restXmlProtocol } from "./rest-xml/index.ts";
import {
  AuthFailure,
  decodeQuery,
  type ParsedAuth,
  parseAuthorization,
  safeDecode,
  verifySigV4,
} from "./sigv4.ts";

/** What serve needs of the local cloud (LocalCloud satisfies it). */
export interface CloudLike {
  readonly services: Readonly<Record<string, AwsService>>;
  readonly amc?: AwsService;
}

/** One access-log line. Never bodies, keys, query values or anything else a caller may have sent as data. */
export interface AccessLogEntry {
  time: string;
  requestId: string;
  service: string;
  operation?: string;
  status: number;
  ms: number;
  principal?: string;
  /** Name of an unexpected (non-AWS) error class, for 500s. */
  error?: string;
}

export interface AppOptions {
  cloud: CloudLike;
  credentials: LocalCredentials;
  amcRoutes?: readonly AmcRoute[];
  log?: (entry: AccessLogEntry) => void;
  /** Clock for signature age checks (tests pin it). */
  now?: () => Date;
}

export interface App {
  handle(request: WireRequest): Promise<WireResponse>;
}

/** Every protocol serve speaks, keyed by SigV4 signing name. */
export function protocolsBySigningName() {
  return {
    s3: restXmlProtocol(),
    glue: awsJsonProtocol({
      name: "glue",
      version: "1.1",
      targetPrefix: "AWSGlue",
      errorTypePrefix: "",
      messageMember: "Message",
      timestampMembers: glueTimestampMembers,
    }),
    cloudcontrolapi: awsJsonProtocol({
      name: "cloudcontrolapi",
      version: "1.0",
      targetPrefix: "CloudApiService",
      // Alchemy recognises a missing resource only by this fully qualified type.
      errorTypePrefix: "com.amazon.cloudapiservice#",
      messageMember: "Message",
      timestampMembers: cloudControlTimestampMembers,
    }),
    iam: queryProtocol({
      name: "iam",
      version: "2010-05-08",
      xmlNamespace: "https://iam.amazonaws.com/doc/2010-05-08/",
      numberMembers: iamNumberMembers,
      booleanMembers: iamBooleanMembers,
    }),
    entityresolution: restJsonProtocol({
      name: "entityresolution",
      routes: entityResolutionRoutes,
      timestampMembers: entityResolutionTimestampMembers,
    }),
    cleanrooms: restJsonProtocol({
      name: "cleanrooms",
      routes: cleanRoomsRoutes,
      timestampMembers: cleanRoomsTimestampMembers,
    }),
  };
}

const erRouter = new RestRouter(entityResolutionRoutes);
const cleanRoomsRouter = new RestRouter(cleanRoomsRoutes);

/** Which service an unsigned request was meant for, so its "missing authentication" answer has that service's shape. */
function guessService(request: WireRequest): string {
  const target = request.headers["x-amz-target"];
  if (target?.startsWith("CloudApiService.")) return "cloudcontrolapi";
  if (target?.startsWith("AWSGlue.")) return "glue";
  if (request.headers["content-type"]?.startsWith("application/x-www-form-urlencoded")) return "iam";
  if (/(^|&)Action=/.test(request.rawQuery)) return "iam";
  if (erRouter.hasPath(request.rawPath)) return "entityresolution";
  if (cleanRoomsRouter.hasPath(request.rawPath)) return "cleanrooms";
  return "s3";
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function asAwsError(error: unknown, handler: ProtocolHandler): AwsError | undefined {
  if (error instanceof AwsError) return error;
  if (error instanceof AuthFailure) return handler.authError(error);
  const candidate = error as Partial<AwsError> | undefined;
  // An AwsError from another copy of the module (e.g. a second tsx loader) still counts.
  if (
    candidate?.name === "AwsError" &&
    typeof candidate.code === "string" &&
    typeof candidate.status === "number"
  ) {
    return new AwsError(candidate.code, candidate.message ?? "", candidate.status, candidate.fields ?? {});
  }
  return undefined;
}

function internalError(handler: ProtocolHandler): AwsError {
  return handler.name.startsWith("restXml")
    ? new AwsError("InternalError", "We encountered an internal error. Please try again.", 500)
    : new AwsError(
        "InternalFailure",
        "The request processing has failed because of an unknown error, exception or failure.",
        500,
      );
}

/**
 * The HTTP front of the local cloud: authenticates (SigV4 or the AMC bearer token), routes by the
 * credential scope's service to that service's wire protocol, calls the operation, renders the
 * answer or error as AWS does, and writes one access-log entry.
 */
export function createApp(options: AppOptions): App {
  const protocols: Record<string, ProtocolHandler | undefined> = protocolsBySigningName();
  const fallback = protocolsBySigningName().cloudcontrolapi;
  const amc = amcProtocol(options.amcRoutes ?? []);
  const now = options.now ?? (() => new Date());
  const { credentials } = options;
  const lookupSecret = (accessKeyId: string) =>
    accessKeyId === credentials.accessKeyId ? credentials : undefined;

  async function authenticateSigV4(
    request: WireRequest,
    handler: ProtocolHandler,
    parsed: ParsedAuth | undefined,
  ): Promise<{ principal: string; region: string; body: AuthenticatedRequest["body"] }> {
    const contentSha = request.headers["x-amz-content-sha256"];
    if (contentSha?.startsWith("STREAMING-AWS4-") || contentSha?.startsWith("STREAMING-ECDSA")) {
      throw new AwsError(
        "NotImplemented",
        "Signed aws-chunked payloads are not supported here; send UNSIGNED-PAYLOAD or STREAMING-UNSIGNED-PAYLOAD-TRAILER.",
        501,
      );
    }
    const streams = handler.streamsBody && contentSha !== undefined;
    const payload = streams ? undefined : await readBody(request.body);
    const scope = await verifySigV4(request, lookupSecret, payload, now(), parsed);
    if (handler.streamsBody && contentSha === undefined && !scope.presigned) {
      throw new AwsError(
        "InvalidRequest",
        "Missing required header for this request: x-amz-content-sha256",
        400,
      );
    }
    let body: AsyncIterable<Uint8Array> | Uint8Array = payload ?? request.body;
    const chunked =
      contentSha?.startsWith("STREAMING-") ||
      (request.headers["content-encoding"] ?? "").split(",").some((part) => part.trim() === "aws-chunked");
    const trailers: Record<string, string> = {};
    if (chunked) body = decodeAwsChunked(asStream(body), trailers);
    if (handler.streamsBody) body = verifyChecksums(asStream(body), request.headers, trailers);
    else if (chunked) body = await readBody(body);
    return { principal: scope.accessKeyId, region: scope.region, body };
  }

  function authenticateBearer(request: WireRequest): string {
    const header = request.headers.authorization ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
    if (!token)
      throw new AuthFailure(
        "missing",
        "Missing bearer token: send Authorization: Bearer <token> (idbridge env prints IDBRIDGE_AMC_TOKEN).",
      );
    if (!sameSecret(token, credentials.amcToken))
      throw new AuthFailure("unknownKey", "The bearer token is not valid for this local AMC.");
    return request.headers["amazon-advertising-api-clientid"] ?? "amc-client";
  }

  async function handle(request: WireRequest): Promise<WireResponse> {
    const requestId = randomUUID();
    const started = performance.now();
    const entry: AccessLogEntry = {
      time: new Date().toISOString(),
      requestId,
      service: "unknown",
      status: 500,
      ms: 0,
    };
    let handler: ProtocolHandler = fallback;
    let call: ParsedCall | undefined;
    let response: WireResponse;
    try {
      const authorization = request.headers.authorization;
      const sigV4 = authorization?.startsWith("AWS4-") || /(^|&)X-Amz-Credential=/.test(request.rawQuery);
      const isAmc = authorization?.startsWith("Bearer ") || (!sigV4 && request.rawPath.startsWith("/amc/"));
      let service: AwsService | undefined;
      let ctx: RequestContext;
      let body: AuthenticatedRequest["body"];
      if (isAmc) {
        entry.service = "amc";
        handler = amc;
        const principal = authenticateBearer(request);
        entry.principal = principal;
        service = options.cloud.amc;
        ctx = { accountId: LOCAL_ACCOUNT_ID, region: credentials.region, principal, requestId };
        body = await readBody(request.body);
      } else {
        let parsed: ParsedAuth | undefined;
        let malformed: AuthFailure | undefined;
        try {
          parsed = parseAuthorization(request);
        } catch (error) {
          if (!(error instanceof AuthFailure)) throw error;
          malformed = error;
        }
        const scopeService = parsed?.scope.service;
        entry.service = scopeService ?? guessService(request);
        const known = protocols[entry.service];
        if (!known) {
          throw new AuthFailure(
            "malformed",
            `Credential should be scoped to correct service: '${entry.service}' is not a service of this local cloud.`,
          );
        }
        handler = known;
        if (malformed) throw malformed;
        const authenticated = await authenticateSigV4(request, handler, parsed);
        entry.principal = authenticated.principal;
        service = options.cloud.services[entry.service];
        ctx = {
          accountId: LOCAL_ACCOUNT_ID,
          region: authenticated.region,
          principal: authenticated.principal,
          requestId,
        };
        body = authenticated.body;
      }
      call = await handler.parse({
        ...request,
        path: safeDecode(request.rawPath),
        query: decodeQuery(request.rawQuery),
        body,
      });
      entry.operation = call.operation;
      const operation = service?.operations[call.operation];
      if (!operation) throw handler.unknownOperation(call.operation);
      const output = await operation(call.input, ctx);
      response = handler.render(call, output ?? {}, requestId);
    } catch (error) {
      let awsError = asAwsError(error, handler);
      if (!awsError) {
        entry.error = (error as Error)?.name ?? typeof error;
        awsError = internalError(handler);
      }
      response = handler.renderError(awsError, requestId, call);
    }
    if (request.method === "HEAD" && response.body !== undefined) {
      discardBody(response.body);
      response = { ...response, body: undefined };
    }
    // SDKs correct their clock skew from this header, so it must come from the same clock as the signature check.
    response.headers.date = now().toUTCString();
    entry.status = response.status;
    entry.ms = Math.round((performance.now() - started) * 100) / 100;
    options.log?.(entry);
    return response;
  }

  return { handle };
}
