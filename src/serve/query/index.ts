import { AwsError } from "../../cloud/aws-error.ts";
import { queryAuthError } from "../auth-errors.ts";
import { readBody, utf8 } from "../body.ts";
import type { AuthenticatedRequest, ParsedCall, ProtocolHandler } from "../protocol.ts";
import { decodeQueryStrict } from "../uri.ts";
import { escapeXml, membersToXml, type XmlListStyle } from "../xml.ts";

export interface QueryOptions {
  name: string;
  version: string;
  xmlNamespace: string;
  numberMembers: ReadonlySet<string>;
  booleanMembers: ReadonlySet<string>;
}

/** The common error of query-protocol services for a query they cannot read (AWS common errors). */
const malformedQuery = () =>
  new AwsError(
    "InvalidQueryParameter",
    "The AWS query string is malformed or does not adhere to AWS standards.",
    400,
  );

/** awsQuery form values use "+" for spaces (application/x-www-form-urlencoded). */
const decodeForm = (text: string) => decodeQueryStrict(text.replace(/\+/g, "%20"), malformedQuery);

/** Deeper keys than any IAM input has ("Tags.member.1.Key" is 4); more would only be an attack on the walk. */
const MAX_KEY_PARTS = 16;

/**
 * Rebuilds nested input from awsQuery's flattened keys: "Tags.member.1.Key=k" → Tags[0].Key,
 * "Attributes.entry.1.key/value" → a map.
 */
export function unflatten(
  pairs: Array<[string, string]>,
  coerce: (member: string, text: string) => unknown,
): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, text] of pairs) {
    const path = key.split(".");
    let node: Record<string, unknown> = root;
    for (const [i, part] of path.entries()) {
      const last = i === path.length - 1;
      if ((part === "member" || part === "entry") && i > 0) continue;
      const isIndex = /^\d+$/.test(part);
      if (last) {
        node[isIndex ? String(Number(part) - 1) : part] = coerce(isIndex ? (path[i - 2] ?? "") : part, text);
      } else {
        const slot = isIndex ? String(Number(part) - 1) : part;
        node[slot] ??= {};
        node = node[slot] as Record<string, unknown>;
      }
    }
  }
  return listify(root) as Record<string, unknown>;
}

/** Objects whose keys are 0..n-1 came from .member.N lists; entry maps become plain maps. */
function listify(value: unknown): unknown {
  if (!value || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length && keys.every((key) => /^\d+$/.test(key))) {
    const items = keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((index) => listify(record[String(index)]));
    if (items.every((item) => item && typeof item === "object" && "key" in (item as object))) {
      const entries = items as Array<{ key: string; value: unknown }>;
      if (entries.every((entry) => Object.keys(entry).every((k) => k === "key" || k === "value"))) {
        return Object.fromEntries(entries.map((entry) => [entry.key, entry.value]));
      }
    }
    return items;
  }
  return Object.fromEntries(keys.map((key) => [key, listify(record[key])]));
}

const QUERY_LISTS = (): XmlListStyle => ({ item: "member", flattened: false });

/** The awsQuery protocol (IAM): form-encoded Action/Version/params in, XML <OpResponse><OpResult> out. */
export function queryProtocol(options: QueryOptions): ProtocolHandler {
  const xmlHeaders = (requestId: string) => ({ "content-type": "text/xml", "x-amzn-requestid": requestId });
  const coerce = (member: string, text: string): unknown => {
    if (options.numberMembers.has(member) && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    if (options.booleanMembers.has(member) && (text === "true" || text === "false")) return text === "true";
    return text;
  };
  return {
    name: `awsQuery:${options.name}`,
    streamsBody: false,

    async parse(request: AuthenticatedRequest): Promise<ParsedCall> {
      const form = request.method === "POST" ? decodeForm(utf8(await readBody(request.body))) : [];
      const query = decodeQueryStrict(request.rawQuery, malformedQuery);
      const pairs = [...query.filter(([key]) => !key.startsWith("X-Amz-")), ...form];
      if (pairs.some(([key]) => key.split(".", MAX_KEY_PARTS + 1).length > MAX_KEY_PARTS))
        throw malformedQuery();
      const action = pairs.find(([key]) => key === "Action")?.[1];
      if (!action) throw new AwsError("MissingAction", "The request must contain the parameter Action.", 400);
      const version = pairs.find(([key]) => key === "Version")?.[1];
      if (version && version !== options.version) {
        throw new AwsError(
          "InvalidAction",
          `Could not find operation ${action} for version ${version}.`,
          400,
        );
      }
      const params = pairs.filter(([key]) => key !== "Action" && key !== "Version");
      return { operation: action, input: unflatten(params, coerce) };
    },

    render(call, output, requestId) {
      const result = Object.keys(output).length
        ? `<${call.operation}Result>${membersToXml(output, QUERY_LISTS)}</${call.operation}Result>`
        : "";
      return {
        status: 200,
        headers: xmlHeaders(requestId),
        body:
          `<${call.operation}Response xmlns="${options.xmlNamespace}">${result}` +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${call.operation}Response>`,
      };
    },

    renderError(error, requestId) {
      const extra = Object.entries(error.fields)
        .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
        .join("");
      return {
        status: error.status,
        headers: xmlHeaders(requestId),
        body:
          `<ErrorResponse xmlns="${options.xmlNamespace}"><Error><Type>${error.status >= 500 ? "Receiver" : "Sender"}</Type>` +
          `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${extra}</Error>` +
          `<RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    },

    unknownOperation(operation) {
      return new AwsError(
        "InvalidAction",
        `Could not find operation ${operation} for version ${options.version}.`,
        400,
      );
    },

    authError: queryAuthError,
  };
}
