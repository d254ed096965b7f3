import type { AmcRoute } from "../../cloud/amc/index.ts";
import { AwsError } from "../../cloud/aws-error.ts";
import { readJsonObject } from "../body.ts";
import { jsonBytes } from "../json-values.ts";
import type { AuthenticatedRequest, ParsedCall, ProtocolHandler } from "../protocol.ts";
import { RestRouter } from "../rest-json/route.ts";
import type { AuthFailure } from "../sigv4.ts";
import { decodeQueryStrict } from "../uri.ts";

export type { AmcRoute };

/** The media type the AMC instance APIs speak (Accept and Content-Type). */
export const AMC_MEDIA_TYPE = "application/vnd.amcinstances.v1+json";

/** Headers every AMC admin API call must carry besides the bearer token. */
export const AMC_REQUIRED_HEADERS = [
  "Amazon-Advertising-API-ClientId",
  "Amazon-Advertising-API-AdvertiserId",
  "Amazon-Advertising-API-MarketplaceId",
] as const;

const malformedUri = () =>
  new AwsError("BAD_REQUEST", "The request URI is not valid percent-encoding (RFC 3986).", 400);

/**
 * The Amazon Ads AMC admin API: JSON over plain REST, path parameters from the route template,
 * errors as {code, details}. Authentication (bearer token + headers) is checked before parse().
 */
export function amcProtocol(routes: readonly AmcRoute[]): ProtocolHandler {
  const router = new RestRouter(
    routes.map((route) => ({
      operation: route.operation,
      method: route.method,
      uri: route.path,
      status: 200,
    })),
  );
  const respond = (status: number, body: unknown, requestId: string) => ({
    status,
    headers: { "content-type": AMC_MEDIA_TYPE, "x-amzn-requestid": requestId },
    body: jsonBytes(body),
  });
  return {
    name: "amc",
    streamsBody: false,

    async parse(request: AuthenticatedRequest): Promise<ParsedCall> {
      for (const name of AMC_REQUIRED_HEADERS) {
        if (!request.headers[name.toLowerCase()]) {
          throw new AwsError("BAD_REQUEST", `Missing required header ${name}.`, 400);
        }
      }
      const match = router.match(request.method, request.rawPath, malformedUri);
      if (!match) {
        throw router.hasPath(request.rawPath)
          ? new AwsError("METHOD_NOT_ALLOWED", `${request.method} is not allowed on this path.`, 405)
          : new AwsError("NOT_FOUND", "No AMC API operation matches the request path.", 404);
      }
      const input = await readJsonObject(request.body, "BAD_REQUEST");
      for (const [key, value] of decodeQueryStrict(request.rawQuery, malformedUri)) input[key] = value;
      Object.assign(input, match.labels);
      return { operation: match.route.operation, input };
    },

    render(_call, output, requestId) {
      // AMC writes times as ISO 8601 strings (JSON.stringify's Date format), not epoch seconds.
      return respond(200, output, requestId);
    },

    renderError(error, requestId) {
      return respond(error.status, { code: error.code, details: error.message, ...error.fields }, requestId);
    },

    unknownOperation(operation) {
      return new AwsError("NOT_FOUND", `${operation} is not implemented by this local AMC.`, 404);
    },

    authError(failure: AuthFailure) {
      return new AwsError("UNAUTHORIZED", failure.message, 401);
    },
  };
}
