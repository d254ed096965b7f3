import { AwsError } from "../../cloud/aws-error.ts";
import { jsonAuthError } from "../auth-errors.ts";
import { readJsonObject } from "../body.ts";
import { fromWireJson, jsonText, toWireJson } from "../json-values.ts";
import type { AuthenticatedRequest, ParsedCall, ProtocolHandler, WireResponse } from "../protocol.ts";
import type { AuthFailure } from "../sigv4.ts";

export interface AwsJsonOptions {
  name: string;
  version: "1.0" | "1.1";
  /** X-Amz-Target prefix, e.g. "CloudApiService" or "AWSGlue". */
  targetPrefix: string;
  /** Prefix of `__type`, e.g. "com.amazon.cloudapiservice#"; "" for the bare code. */
  errorTypePrefix: string;
  /** Name of the message member in the model's error shapes ("Message" for Glue and Cloud Control). */
  messageMember: string;
  timestampMembers: ReadonlySet<string>;
}

/** The awsJson1_0 / awsJson1_1 protocols: POST /, X-Amz-Target names the operation, JSON both ways. */
export function awsJsonProtocol(options: AwsJsonOptions): ProtocolHandler {
  const contentType = `application/x-amz-json-${options.version}`;
  const respond = (
    status: number,
    body: unknown,
    requestId: string,
    extra: Record<string, string> = {},
  ): WireResponse => ({
    status,
    headers: { "content-type": contentType, "x-amzn-requestid": requestId, ...extra },
    body: jsonText(body),
  });
  return {
    name: `awsJson${options.version.replace(".", "_")}`,
    streamsBody: false,

    async parse(request: AuthenticatedRequest): Promise<ParsedCall> {
      const target = request.headers["x-amz-target"] ?? "";
      const dot = target.lastIndexOf(".");
      if (request.method !== "POST" || target.slice(0, dot) !== options.targetPrefix || dot < 0) {
        throw new AwsError(
          "UnknownOperationException",
          "The operation is unknown: send POST / with X-Amz-Target: " +
            `${options.targetPrefix}.<Operation>.`,
          400,
        );
      }
      const input = await readJsonObject(request.body, "SerializationException");
      return {
        operation: target.slice(dot + 1),
        input: fromWireJson(input, options.timestampMembers) as Record<string, unknown>,
      };
    },

    render(_call, output, requestId) {
      return respond(200, toWireJson(output, options.timestampMembers), requestId);
    },

    renderError(error, requestId) {
      return respond(
        error.status,
        {
          __type: `${options.errorTypePrefix}${error.code}`,
          [options.messageMember]: error.message,
          ...error.fields,
        },
        requestId,
      );
    },

    unknownOperation(operation) {
      return new AwsError(
        "UnknownOperationException",
        `${options.targetPrefix}.${operation} is not an operation this local cloud implements.`,
        400,
      );
    },

    authError(failure: AuthFailure) {
      return jsonAuthError(failure);
    },
  };
}
