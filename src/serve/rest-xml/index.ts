import { Readable } from "node:stream";
import { XMLParser } from "fast-xml-parser";
import { AwsError } from "../../cloud/aws-error.ts";
import { s3AuthError } from "../auth-errors.ts";
import { asStream, readBody, utf8 } from "../body.ts";
import type { AuthenticatedRequest, ParsedCall, ProtocolHandler, WireResponse } from "../protocol.ts";
import { decodeComponent, decodeQueryStrict } from "../uri.ts";
import { escapeXml, membersToXml, type XmlListStyle, xmlText } from "../xml.ts";
import {
  S3_HEADERS_BESIDE_XML,
  S3_INPUT_BOOLEANS,
  S3_INPUT_NUMBERS,
  S3_NO_CONTENT,
  S3_QUERY,
  S3_REQUEST_HEADERS,
  S3_RESPONSE_HEADERS,
  S3_XML_INPUT,
  S3_XML_INPUT_LISTS,
  S3_XML_INPUT_SINGLE,
  S3_XML_OUTPUT,
  S3_XML_OUTPUT_LISTS,
  s3Operation,
} from "./routes.ts";

const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
/** XML documents S3 accepts in a request body (CompleteMultipartUpload of 10,000 parts fits). */
const MAX_XML_BODY = 2 * 1024 * 1024;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name, jPath) => name in S3_XML_INPUT_LISTS && !singleIn(String(jPath).split(".")[0]!, name),
});

const singleIn = (root: string, name: string) => S3_XML_INPUT_SINGLE[root]?.has(name) === true;

function fromText(text: string, type: string): unknown {
  if (type === "integer") {
    const value = Number(text);
    if (!Number.isInteger(value))
      throw new AwsError("InvalidArgument", "A numeric argument is not an integer.", 400);
    return value;
  }
  if (type === "boolean") return text === "true";
  if (type === "timestamp") return new Date(text);
  return text;
}

const invalidUri = () => new AwsError("InvalidURI", "Couldn't parse the specified URI.", 400);

/** S3's XML elements → input members: flattened item lists renamed, numbers and booleans typed. */
function xmlToInput(value: unknown, root: string, member?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => xmlToInput(item, root, member));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value))
      out[singleIn(root, name) ? name : (S3_XML_INPUT_LISTS[name] ?? name)] = xmlToInput(item, root, name);
    return out;
  }
  if (typeof value === "string" && member) {
    if (S3_INPUT_NUMBERS.has(member)) return Number(value);
    if (S3_INPUT_BOOLEANS.has(member)) return value === "true";
  }
  return value;
}

const listStyle = (member: string): XmlListStyle =>
  S3_XML_OUTPUT_LISTS[member] ?? { item: "member", flattened: false };

/** RFC 7231 dates for headers such as Last-Modified. */
function headerText(value: unknown): string {
  if (value instanceof Date) return value.toUTCString();
  return String(value);
}

function isBodyStream(value: unknown): value is AsyncIterable<Uint8Array> {
  return !!value && typeof value === "object" && Symbol.asyncIterator in (value as object);
}

/** The restXml protocol of S3 (path-style addressing): objects stream both ways. */
export function restXmlProtocol(): ProtocolHandler {
  const baseHeaders = (requestId: string) => ({ "x-amz-request-id": requestId, "x-amz-id-2": requestId });
  return {
    name: "restXml:s3",
    streamsBody: true,

    async parse(request: AuthenticatedRequest): Promise<ParsedCall> {
      // Virtual-hosted style (bucket.localhost:port, what SDKs use for a "localhost" endpoint) or path style.
      const virtualHost = /^(.+)\.localhost(:\d+)?$/.exec(request.headers.host ?? "")?.[1];
      const parts = virtualHost
        ? ["", encodeURIComponent(virtualHost), ...request.rawPath.split("/").slice(1)]
        : request.rawPath.split("/");
      const bucket = parts[1] ? decodeComponent(parts[1], invalidUri) : undefined;
      const rawKey =
        parts.length > 2 && (parts.length > 3 || parts[2] !== "") ? parts.slice(2).join("/") : undefined;
      const key = rawKey ? decodeComponent(rawKey, invalidUri) : undefined;
      const pairs = decodeQueryStrict(request.rawQuery, invalidUri);
      const query = new Map(pairs);
      const operation = s3Operation(request.method, bucket, key, query, request.headers);
      if (!operation) {
        throw new AwsError(
          "NotImplemented",
          "A header or query you provided implies functionality that is not implemented.",
          501,
        );
      }
      const input: Record<string, unknown> = {};
      if (bucket) input.Bucket = bucket;
      if (key !== undefined) input.Key = key;
      for (const [name, value] of pairs) {
        const binding = S3_QUERY[name];
        if (binding) input[binding[0]] = fromText(value, binding[1]);
      }
      const metadata: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        const binding = S3_REQUEST_HEADERS[name];
        if (binding) input[binding[0]] = fromText(value, binding[1]);
        else if (name.startsWith("x-amz-meta-")) metadata[name.slice(11)] = value;
      }
      if (Object.keys(metadata).length) input.Metadata = metadata;
      // aws-chunked is a transfer detail: the object's own encoding and length are what remain.
      if (typeof input.ContentEncoding === "string") {
        const encodings = input.ContentEncoding.split(",")
          .map((part) => part.trim())
          .filter((part) => part && part !== "aws-chunked");
        if (encodings.length) input.ContentEncoding = encodings.join(",");
        else delete input.ContentEncoding;
      }
      const decodedLength = request.headers["x-amz-decoded-content-length"];
      if (decodedLength !== undefined) input.ContentLength = Number(decodedLength);

      const xmlInput = S3_XML_INPUT[operation];
      if (xmlInput) {
        const text = utf8(await readBody(request.body, MAX_XML_BODY));
        if (text.trim()) {
          let document: Record<string, unknown>;
          try {
            document = parser.parse(text, true);
          } catch {
            throw new AwsError(
              "MalformedXML",
              "The XML you provided was not well-formed or did not validate against our published schema.",
              400,
            );
          }
          const root = document[xmlInput[1]];
          if (root === undefined) {
            throw new AwsError(
              "MalformedXML",
              "The XML you provided was not well-formed or did not validate against our published schema.",
              400,
            );
          }
          input[xmlInput[0]] = xmlToInput(root === "" ? {} : root, xmlInput[1]);
        }
      } else if (operation === "PutObject" || operation === "UploadPart") {
        input.Body = Readable.from(asStream(request.body), { objectMode: false });
      } else {
        // Drain bodies no operation reads so the connection can be reused.
        for await (const _ of asStream(request.body));
      }
      return { operation, input };
    },

    render(call, output, requestId) {
      const headers: Record<string, string> = { ...baseHeaders(requestId) };
      const xml = S3_XML_OUTPUT[call.operation];
      const asHeaders = (member: string) => !xml || S3_HEADERS_BESIDE_XML.has(member);
      const bodyMembers: Record<string, unknown> = {};
      let body: WireResponse["body"];
      for (const [member, value] of Object.entries(output)) {
        if (value === undefined || value === null) continue;
        if (member === "Body" && !xml) {
          body =
            isBodyStream(value) || value instanceof Uint8Array || typeof value === "string"
              ? (value as WireResponse["body"])
              : undefined;
        } else if (member === "Metadata" && !xml && typeof value === "object") {
          for (const [name, text] of Object.entries(value as Record<string, unknown>))
            headers[`x-amz-meta-${name.toLowerCase()}`] = String(text);
        } else if (S3_RESPONSE_HEADERS[member] && asHeaders(member)) {
          headers[S3_RESPONSE_HEADERS[member]] = headerText(value);
        } else if (xml) {
          bodyMembers[member] = value;
        }
      }
      if (xml) {
        const content = xml.payload
          ? ((bodyMembers[xml.payload] ?? {}) as Record<string, unknown>)
          : bodyMembers;
        const inner = call.operation === "GetBucketLocation" ? "" : membersToXml(content, listStyle);
        headers["content-type"] = "application/xml";
        body = `${XML_DECLARATION}<${xml.root} xmlns="${S3_NAMESPACE}">${inner}</${xml.root}>`;
      } else if (call.operation === "GetBucketLocation") {
        const location = output.LocationConstraint;
        headers["content-type"] = "application/xml";
        body = `${XML_DECLARATION}<LocationConstraint xmlns="${S3_NAMESPACE}">${location ? xmlText(location) : ""}</LocationConstraint>`;
      }
      if (S3_NO_CONTENT.has(call.operation)) return { status: 204, headers };
      if (call.operation === "HeadObject" || call.operation === "HeadBucket") body = undefined;
      const status = output.ContentRange !== undefined && call.operation === "GetObject" ? 206 : 200;
      if (body === undefined && headers["content-length"] === undefined) headers["content-length"] = "0";
      return { status, headers, body };
    },

    renderError(error, requestId) {
      const headers: Record<string, string> = { ...baseHeaders(requestId) };
      const extra = Object.entries(error.fields)
        .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
        .join("");
      headers["content-type"] = "application/xml";
      return {
        status: error.status,
        headers,
        body:
          `${XML_DECLARATION}<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
          `${extra}<RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`,
      };
    },

    unknownOperation(operation) {
      return new AwsError("NotImplemented", `${operation} is not implemented by this local cloud.`, 501);
    },

    authError: s3AuthError,
  };
}
