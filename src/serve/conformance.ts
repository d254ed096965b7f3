/**
 * For tests: judges every answer the local cloud gives against AWS's own API model (botocore's
 * service-2.json, digested into ./models/responses by ./models/generate.ts) — the output shape
 * (required members, types, enums, lengths, patterns, no members the model lacks) and each error's
 * code and HTTP status. `conforming(client)` makes an official SDK v3 client fail a call whose answer
 * differs from the model; `responseProblems` / `outputProblems` serve other clients (the AWS CLI).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";

interface MemberRef {
  shape: string;
  location?: "header" | "headers" | "statusCode" | "uri" | "querystring";
  locationName?: string;
  jsonName?: string;
  timestampFormat?: string;
  streaming?: boolean;
}
interface ModelShape {
  type: string;
  required?: string[];
  members?: Record<string, MemberRef>;
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  payload?: string;
  union?: boolean;
  timestampFormat?: string;
  exception?: boolean;
  error?: { code?: string; httpStatusCode?: number };
  fault?: boolean;
  document?: boolean;
}
export interface ResponseModel {
  source: string;
  protocol: "json" | "rest-json" | "rest-xml" | "query";
  operations: Record<string, { status: number; output?: string; errors: string[] }>;
  shapes: Record<string, ModelShape>;
}

/**
 * How a value reached us: "wire" is the JSON body as sent (timestamps epoch seconds unless the model
 * says otherwise, blobs base64); "sdk" is what an official SDK v3 client parsed (Date, Uint8Array);
 * "cli" is the AWS CLI's JSON output (timestamps as the CLI prints them).
 */
export type Form = "wire" | "sdk" | "cli";

const models = new Map<string, ResponseModel>();
/** The response digest of a service, by SigV4 signing name ("cloudcontrolapi", "s3" …). */
export function responseModel(signingName: string): ResponseModel {
  let model = models.get(signingName);
  if (!model) {
    model = JSON.parse(
      readFileSync(new URL(`./models/responses/${signingName}.json`, import.meta.url), "utf8"),
    ) as ResponseModel;
    models.set(signingName, model);
  }
  return model;
}

const patterns = new Map<string, RegExp | null>();
function compiled(pattern: string): RegExp | null {
  if (!patterns.has(pattern)) {
    let regex: RegExp | null = null;
    for (const flags of ["u", ""]) {
      try {
        regex = new RegExp(pattern, flags);
        break;
      } catch {
        // Smithy patterns are ECMA-262; a few older ones only compile without the u flag.
      }
    }
    patterns.set(pattern, regex);
  }
  return patterns.get(pattern) ?? null;
}

const kindOf = (value: unknown) =>
  value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;

/** Every way `value` differs from the model's shape `shapeName`; [] when it conforms. */
export function shapeProblems(
  model: ResponseModel,
  shapeName: string,
  value: unknown,
  path: string,
  form: Form,
  ref?: MemberRef,
): string[] {
  const shape = model.shapes[shapeName];
  if (!shape) return [`${path}: shape ${shapeName} is not in ${model.source}`];
  const problems: string[] = [];
  const wrongType = (expected: string) =>
    problems.push(`${path}: ${kindOf(value)} where the model says ${expected} (${shapeName})`);
  const checkLength = (length: number, unit: string) => {
    if (shape.min !== undefined && length < shape.min)
      problems.push(`${path}: ${length} ${unit}, the model's minimum is ${shape.min} (${shapeName})`);
    if (shape.max !== undefined && length > shape.max)
      problems.push(`${path}: ${length} ${unit}, the model's maximum is ${shape.max} (${shapeName})`);
  };
  if (shape.document) return problems;
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        wrongType("a structure");
        break;
      }
      const record = value as Record<string, unknown>;
      const members = shape.members ?? {};
      const wireName = (name: string) =>
        form === "wire" ? (members[name]?.jsonName ?? members[name]?.locationName ?? name) : name;
      for (const name of shape.required ?? []) {
        if (members[name]?.location) continue;
        if (record[wireName(name)] === undefined || record[wireName(name)] === null)
          problems.push(`${path}.${name}: missing, the model requires it (${shapeName})`);
      }
      const known = new Map(Object.keys(members).map((name) => [wireName(name), name]));
      let set = 0;
      for (const [key, member] of Object.entries(record)) {
        // The AWS CLI prints absent header-bound members (e.g. S3 RequestCharged) as null.
        if (member === undefined || (form === "cli" && member === null)) continue;
        if (form === "sdk" && key === "$metadata") continue;
        const name = known.get(key);
        if (!name) {
          problems.push(`${path}.${key}: not a member of ${shapeName} in the model`);
          continue;
        }
        const memberRef = members[name] as MemberRef;
        if (memberRef.location === "statusCode" || memberRef.streaming) continue;
        if (member !== null) set++;
        problems.push(...shapeProblems(model, memberRef.shape, member, `${path}.${name}`, form, memberRef));
      }
      if (shape.union && set !== 1)
        problems.push(`${path}: a union must have exactly one member set, has ${set} (${shapeName})`);
      break;
    }
    case "list": {
      if (!Array.isArray(value)) {
        wrongType("a list");
        break;
      }
      checkLength(value.length, "items");
      value.forEach((item, i) => {
        problems.push(
          ...shapeProblems(model, shape.member!.shape, item, `${path}[${i}]`, form, shape.member),
        );
      });
      break;
    }
    case "map": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        wrongType("a map");
        break;
      }
      const entries = Object.entries(value as Record<string, unknown>);
      checkLength(entries.length, "entries");
      for (const [key, item] of entries) {
        problems.push(...shapeProblems(model, shape.key!.shape, key, `${path}{key ${key}}`, form));
        problems.push(...shapeProblems(model, shape.value!.shape, item, `${path}.${key}`, form, shape.value));
      }
      break;
    }
    case "string": {
      // botocore (and so the AWS CLI) JSON-decodes IAM's url-encoded policy documents
      // (botocore/handlers.py json_decode_policies, keyed on this shape name).
      if (form === "cli" && shapeName === "policyDocumentType" && typeof value === "object") break;
      if (typeof value !== "string") {
        wrongType("a string");
        break;
      }
      if (shape.enum && !shape.enum.includes(value))
        problems.push(`${path}: ${JSON.stringify(value)} is not one of the model's ${shapeName} values`);
      checkLength([...value].length, "characters");
      const regex = shape.pattern ? compiled(shape.pattern) : null;
      if (regex && !regex.test(value))
        problems.push(
          `${path}: ${JSON.stringify(value)} does not match the model's pattern ${shape.pattern} (${shapeName})`,
        );
      break;
    }
    case "integer":
    case "long":
    case "float":
    case "double":
    case "short":
    case "byte": {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        wrongType(`a number (${shape.type})`);
        break;
      }
      if (shape.type !== "float" && shape.type !== "double" && !Number.isInteger(value))
        wrongType(`an integer (${shape.type})`);
      if (shape.min !== undefined && value < shape.min)
        problems.push(`${path}: ${value} is below the model's minimum ${shape.min} (${shapeName})`);
      if (shape.max !== undefined && value > shape.max)
        problems.push(`${path}: ${value} is above the model's maximum ${shape.max} (${shapeName})`);
      break;
    }
    case "boolean":
      if (typeof value !== "boolean") wrongType("a boolean");
      break;
    case "timestamp": {
      const format = ref?.timestampFormat ?? shape.timestampFormat;
      if (form === "sdk") {
        if (!(value instanceof Date) || Number.isNaN(value.getTime())) wrongType("a timestamp (Date)");
      } else if (form === "wire") {
        // JSON protocols send epoch seconds unless the model names another format.
        if (format === "iso8601" || format === "rfc822") {
          if (typeof value !== "string" || Number.isNaN(Date.parse(value)))
            wrongType(`a ${format} timestamp string`);
        } else if (typeof value !== "number") wrongType("a timestamp in epoch seconds");
      } else if (
        !(typeof value === "number" || (typeof value === "string" && !Number.isNaN(Date.parse(value))))
      ) {
        wrongType("a timestamp");
      }
      break;
    }
    case "blob":
      if (form === "sdk" ? !(value instanceof Uint8Array) : typeof value !== "string") wrongType("a blob");
      break;
    default:
      problems.push(`${path}: the checker does not know the model type ${shape.type} (${shapeName})`);
  }
  return problems;
}

/** The answer of one call as it came off the socket. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: Uint8Array;
}

function errorCode(model: ResponseModel, raw: RawResponse): string | undefined {
  const text = Buffer.from(raw.body).toString("utf8");
  if (model.protocol === "rest-xml" || model.protocol === "query")
    return /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const header = raw.headers["x-amzn-errortype"];
  let code = header?.split(":")[0];
  if (!code && text) {
    const body = JSON.parse(text) as Record<string, unknown>;
    code = String(body.__type ?? body.code ?? body.Code ?? "");
  }
  return code?.split("#").pop()?.split(":")[0] || undefined;
}

/**
 * Errors no model lists because every service (or every service of the protocol) may answer them —
 * AWS's "Common Errors" (e.g. https://docs.aws.amazon.com/cloudcontrolapi/latest/APIReference/CommonErrors.html)
 * and the protocol-level codes the SDKs expect. Their statuses are checked by the protocol suite.
 */
const COMMON_ERRORS = new Set([
  "AccessDeniedException",
  "IncompleteSignature",
  "IncompleteSignatureException",
  "InternalFailure",
  "InvalidClientTokenId",
  "InvalidSignatureException",
  "MissingAuthenticationToken",
  "MissingAuthenticationTokenException",
  "SignatureDoesNotMatch",
  "UnrecognizedClientException",
  "UnknownOperationException",
  "InvalidAction",
  "SerializationException",
  "ValidationError",
  "ThrottlingException",
  "RequestExpired",
]);

/** How an error answer (its code and HTTP status) differs from the model; [] when it conforms. */
export function errorProblems(
  signingName: string,
  operation: string,
  code: string,
  status: number,
): string[] {
  const model = responseModel(signingName);
  const where = `${signingName} ${operation}`;
  const [name, shape] =
    Object.entries(model.shapes).find(
      ([shapeName, candidate]) => candidate.exception && (candidate.error?.code ?? shapeName) === code,
    ) ?? [];
  if (!shape) {
    // S3 models only a few of its errors; its error code list is the reference.
    if (model.protocol === "rest-xml" || COMMON_ERRORS.has(code)) return [];
    return [`${where}: error ${code} is not an error of ${model.source}`];
  }
  // Smithy's defaults for a modelled error without an explicit status: client 400, server 500.
  const expected = shape.error?.httpStatusCode ?? (shape.fault ? 500 : 400);
  return status === expected
    ? []
    : [`${where}: error ${code} (${name}) answered HTTP ${status}, the model says ${expected}`];
}

/** Every way one answer of `operation` differs from the model; [] when it conforms. */
export function responseProblems(
  signingName: string,
  operation: string,
  raw: RawResponse,
  sdkOutput?: Record<string, unknown>,
): string[] {
  const model = responseModel(signingName);
  const op = model.operations[operation];
  if (!op)
    return [
      `${signingName} ${operation} is not in src/serve/models/responses — rerun src/serve/models/generate.ts`,
    ];
  const where = `${signingName} ${operation}`;
  if (raw.status >= 300) {
    const code = errorCode(model, raw);
    return code === undefined ? [] : errorProblems(signingName, operation, code, raw.status);
  }
  const problems: string[] = [];
  const output = op.output ? (model.shapes[op.output] as ModelShape) : undefined;
  // A range request's answer is 206 Partial Content with Content-Range (RFC 9110 §15.3.7), which the
  // model's single responseCode cannot say; outputs that bind Content-Range (S3 GetObject) allow it.
  const partial =
    raw.status === 206 &&
    raw.headers["content-range"] !== undefined &&
    Object.values(output?.members ?? {}).some((ref) => ref.locationName === "Content-Range");
  if (raw.status !== op.status && !partial)
    problems.push(`${where}: answered HTTP ${raw.status}, the model says ${op.status}`);
  if (!op.output || !output) return problems;
  if (model.protocol === "json" || model.protocol === "rest-json") {
    const members = output.members ?? {};
    for (const [name, ref] of Object.entries(members)) {
      if (
        ref.location === "header" &&
        output.required?.includes(name) &&
        !raw.headers[ref.locationName!.toLowerCase()]
      )
        problems.push(`${where}: header ${ref.locationName} (${name}) missing, the model requires it`);
    }
    const payload = output.payload ? members[output.payload] : undefined;
    const text = Buffer.from(raw.body).toString("utf8");
    if (payload) {
      const payloadShape = model.shapes[payload.shape];
      if (payloadShape?.type === "structure" && text)
        problems.push(...shapeProblems(model, payload.shape, JSON.parse(text), output.payload!, "wire"));
    } else {
      const inBody = Object.fromEntries(Object.entries(members).filter(([, ref]) => !ref.location));
      const bodyShape: ModelShape = {
        ...output,
        members: inBody,
        required: output.required?.filter((name) => name in inBody),
      };
      const body = text ? JSON.parse(text) : {};
      problems.push(
        ...shapeProblems(
          { ...model, shapes: { ...model.shapes, [op.output]: bodyShape } },
          op.output,
          body,
          operation,
          "wire",
        ),
      );
    }
  } else if (sdkOutput) {
    problems.push(...shapeProblems(model, op.output, sdkOutput, operation, "sdk"));
  }
  return problems;
}

/** Every way an output parsed by another client (the AWS CLI: `form` "cli") differs from the model. */
export function outputProblems(
  signingName: string,
  operation: string,
  output: unknown,
  form: Form,
): string[] {
  const model = responseModel(signingName);
  const op = model.operations[operation];
  if (!op) return [`${signingName} ${operation} is not in src/serve/models/responses`];
  return op.output ? shapeProblems(model, op.output, output ?? {}, operation, form) : [];
}

const SIGNING_NAMES: Record<string, string> = {
  S3: "s3",
  Glue: "glue",
  IAM: "iam",
  EntityResolution: "entityresolution",
  CleanRooms: "cleanrooms",
  CloudControl: "cloudcontrolapi",
};

/** Any official SDK v3 client (its middleware stack's typed overloads accept what is added below). */
interface SdkClient {
  config: { serviceId?: string };
  middlewareStack: { add(middleware: never, options: never): void };
}
interface Stack {
  add(
    middleware: unknown,
    options: { step: "initialize" | "deserialize"; name: string; priority?: "high" | "low" },
  ): void;
}
interface Context {
  commandName?: string;
  idbridgeRawResponse?: RawResponse;
}
type Next = (args: unknown) => Promise<{ response: unknown; output: Record<string, unknown> }>;

async function bytesOf(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  if (typeof body === "string") return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * Makes an official SDK v3 client judge every answer against AWS's model: a call whose output or
 * error differs fails with an AssertionError listing the differences. Returns the same client.
 */
export function conforming<T extends SdkClient>(client: T): T {
  const signingName = SIGNING_NAMES[client.config.serviceId ?? ""];
  if (!signingName) throw new Error(`no response model for the SDK service ${client.config.serviceId}`);
  const model = responseModel(signingName);
  const stack = client.middlewareStack as unknown as Stack;
  const operationOf = (context: Context) => (context.commandName ?? "").replace(/Command$/, "");
  const streams = (operation: string) => {
    const output = model.shapes[model.operations[operation]?.output ?? ""];
    return output?.payload !== undefined && output.members?.[output.payload]?.streaming === true;
  };
  // Inner to the SDK's deserializer: keeps the bytes of every attempt's answer and hands them on.
  stack.add(
    (next: Next, context: Context) => async (args: unknown) => {
      const result = await next(args);
      const response = result.response as {
        statusCode: number;
        headers: Record<string, string>;
        body: unknown;
      };
      if (response.statusCode < 300 && streams(operationOf(context))) {
        context.idbridgeRawResponse = {
          status: response.statusCode,
          headers: response.headers,
          body: new Uint8Array(),
        };
        return result;
      }
      const body = await bytesOf(response.body);
      response.body = Readable.from([Buffer.from(body)]);
      context.idbridgeRawResponse = { status: response.statusCode, headers: response.headers, body };
      return result;
    },
    { step: "deserialize", name: "idbridgeCaptureResponse", priority: "low" },
  );
  // Outermost: judges the final answer (after the SDK's retries).
  stack.add(
    (next: Next, context: Context) => async (args: unknown) => {
      let result: Awaited<ReturnType<Next>> | undefined;
      let failure: unknown;
      try {
        result = await next(args);
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        failure = error;
      }
      const raw = context.idbridgeRawResponse;
      if (raw) {
        const problems = responseProblems(signingName, operationOf(context), raw, result?.output);
        assert.deepEqual(problems, [], `the answer differs from AWS's model:\n${problems.join("\n")}`);
      }
      if (failure) throw failure;
      return result as Awaited<ReturnType<Next>>;
    },
    { step: "initialize", name: "idbridgeConformance", priority: "high" },
  );
  return client;
}
