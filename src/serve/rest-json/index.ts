import { AwsError } from "../../cloud/aws-error.ts";
import { jsonAuthError } from "../auth-errors.ts";
import { readJsonObject } from "../body.ts";
import { fromWireJson, jsonBytes, toWireJson } from "../json-values.ts";
import type { AuthenticatedRequest, ParsedCall, ProtocolHandler } from "../protocol.ts";
import { decodeQueryStrict } from "../uri.ts";
import { type RestJsonRoute, RestRouter } from "./route.ts";

export interface RestJsonOptions {
  name: string;
  routes: readonly RestJsonRoute[];
  timestampMembers: ReadonlySet<string>;
}

function fromText(text: string, type: string): unknown {
  switch (type) {
    case "integer":
    case "float":
    case "double": {
      const value = Number(text);
      if (!Number.isFinite(value))
        throw new AwsError("ValidationException", "A numeric parameter is not a number.", 400);
      return value;
    }
    case "boolean":
      return text === "true";
    case "timestamp":
      return /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
    default:
      return text;
  }
}

function bindQuery(
  route: RestJsonRoute,
  query: Array<[string, string]>,
  input: Record<string, unknown>,
): void {
  for (const [name, [member, type]] of Object.entries(route.query ?? {})) {
    const values = query.filter(([key]) => key === name).map(([, value]) => value);
    if (values.length === 0) continue;
    input[member] = type.startsWith("list:")
      ? values.map((value) => fromText(value, type.slice(5)))
      : fromText(values[0] ?? "", type);
  }
}

function bindHeaders(
  route: RestJsonRoute,
  headers: Record<string, string>,
  input: Record<string, unknown>,
): void {
  for (const [name, [member, type]] of Object.entries(route.headers ?? {})) {
    const value = headers[name.toLowerCase()];
    if (value === undefined) continue;
    input[member] = type.startsWith("list:")
      ? value.split(",").map((item) => fromText(item.trim(), type.slice(5)))
      : fromText(value, type);
  }
}

const malformedUri = () =>
  new AwsError("ValidationException", "The request URI is not valid percent-encoding (RFC 3986).", 400);

/** The restJson1 protocol (Entity Resolution, Clean Rooms): method + URI template, labels, query and header bindings. */
export function restJsonProtocol(options: RestJsonOptions): ProtocolHandler {
  const router = new RestRouter(options.routes);
  const routesByOperation = new Map(options.routes.map((route) => [route.operation, route]));
  return {
    name: `restJson1:${options.name}`,
    streamsBody: false,

    async parse(request: AuthenticatedRequest): Promise<ParsedCall> {
      const match = router.match(request.method, request.rawPath, malformedUri);
      if (!match) {
        throw router.hasPath(request.rawPath)
          ? new AwsError("MethodNotAllowedException", `${request.method} is not allowed on this path.`, 405)
          : new AwsError(
              "UnknownOperationException",
              "No operation of this service matches the request path.",
              404,
            );
      }
      const body = await readJsonObject(request.body, "SerializationException");
      const input = fromWireJson(body, options.timestampMembers) as Record<string, unknown>;
      Object.assign(input, match.labels);
      if (request.rawQuery) bindQuery(match.route, decodeQueryStrict(request.rawQuery, malformedUri), input);
      bindHeaders(match.route, request.headers, input);
      return { operation: match.route.operation, input };
    },

    render(call, output, requestId) {
      const route = routesByOperation.get(call.operation);
      const headers: Record<string, string> = { "x-amzn-requestid": requestId };
      const body = { ...output };
      for (const [name, [member]] of Object.entries(route?.outputHeaders ?? {})) {
        if (body[member] !== undefined) headers[name.toLowerCase()] = String(body[member]);
        delete body[member];
      }
      const status = route?.status ?? 200;
      if (status === 204) return { status, headers };
      headers["content-type"] = "application/json";
      return { status, headers, body: jsonBytes(toWireJson(body, options.timestampMembers)) };
    },

    renderError(error, requestId) {
      return {
        status: error.status,
        headers: {
          "content-type": "application/json",
          "x-amzn-requestid": requestId,
          "x-amzn-errortype": error.code,
        },
        body: jsonBytes({ message: error.message, ...error.fields }),
      };
    },

    unknownOperation(operation) {
      return new AwsError(
        "UnknownOperationException",
        `${operation} is not an operation this local cloud implements.`,
        404,
      );
    },

    authError: jsonAuthError,
  };
}
