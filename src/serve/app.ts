import { randomUUID } from "node:crypto";
import type { AwsService } from "../cloud/service.ts";
import { DEFAULT_MAX_BODY_BYTES } from "../config.ts";
import { type AmcRoute, amcProtocol } from "./amc/index.ts";
import { awsJsonProtocol } from "./aws-json/index.ts";
import type { LocalCredentials } from "./credentials.ts";
import { cleanRoomsRoutes, cleanRoomsTimestampMembers } from "./models/cleanrooms.ts";
import { cloudControlTimestampMembers } from "./models/cloudcontrol.ts";
import { entityResolutionRoutes, entityResolutionTimestampMembers } from "./models/entityresolution.ts";
import { glueTimestampMembers } from "./models/glue.ts";
import { iamBooleanMembers, iamNumberMembers } from "./models/iam.ts";
import { compose, type ServeContext, type Step } from "./pipeline.ts";
import type { ProtocolHandler, WireRequest, WireResponse } from "./protocol.ts";
import { queryProtocol } from "./query/index.ts";
import { restJsonProtocol } from "./rest-json/index.ts";
import { RestRouter } from "./rest-json/route.ts";
import { restXmlProtocol } from "./rest-xml/index.ts";
import { type AccessLogEntry, accessLog } from "./steps/access-log.ts";
import { bearerAuth, sigV4Auth } from "./steps/authenticate.ts";
import { decodeBody } from "./steps/decode-body.ts";
import { detectService } from "./steps/detect-service.ts";
import { dispatch } from "./steps/dispatch.ts";
import { finishResponse } from "./steps/finish-response.ts";
import { readBody } from "./steps/read-body.ts";
import { renderErrors } from "./steps/render-errors.ts";

export type { AccessLogEntry } from "./steps/access-log.ts";

/** What serve needs of the local cloud (LocalCloud satisfies it). */
export interface CloudLike {
  readonly services: Readonly<Record<string, AwsService>>;
  readonly amc?: AwsService;
}

export interface AppOptions {
  cloud: CloudLike;
  credentials: LocalCredentials;
  amcRoutes?: readonly AmcRoute[];
  log?: (entry: AccessLogEntry) => void;
  /** Clock for signature age checks and the Date header (tests pin it). */
  now?: () => Date;
  /** The largest request body accepted, uploads included; default DEFAULT_MAX_BODY_BYTES. */
  maxBodyBytes?: number;
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

/**
 * The HTTP front of the local cloud, as a pipeline of steps (./steps), outermost first: the access
 * log; the Date header and HEAD bodies; error rendering in the service's protocol; which service is
 * asked; the body under its size caps; the bearer token or the SigV4 signature; aws-chunked and
 * checksums; and the call itself.
 */
export function createApp(options: AppOptions): App {
  const protocols: Record<string, ProtocolHandler | undefined> = protocolsBySigningName();
  const fallback = protocols.cloudcontrolapi as ProtocolHandler;
  const { credentials } = options;
  const now = options.now ?? (() => new Date());
  const steps: Step[] = [
    ...(options.log ? [accessLog({ log: options.log })] : []),
    finishResponse({ now }),
    renderErrors(),
    detectService({
      protocols,
      services: options.cloud.services,
      amc: { protocol: amcProtocol(options.amcRoutes ?? []), service: options.cloud.amc },
      restRouters: [
        ["entityresolution", new RestRouter(entityResolutionRoutes)],
        ["cleanrooms", new RestRouter(cleanRoomsRoutes)],
      ],
    }),
    readBody({ maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES }),
    bearerAuth({ token: credentials.amcToken, region: credentials.region }),
    sigV4Auth({ secret: credentials, region: credentials.region, now }),
    decodeBody(),
    dispatch(),
  ];
  const run = compose(steps);
  return {
    async handle(request) {
      const c: ServeContext = {
        request,
        requestId: randomUUID(),
        protocol: fallback,
        serviceName: "unknown",
        scheme: "sigv4",
        body: request.body,
      };
      await run(c);
      return c.response as WireResponse;
    },
  };
}
