import type { AwsError } from "../cloud/aws-error.ts";
import type { AuthFailure } from "./sigv4.ts";

/** An HTTP request as serve sees it, whether it came from a socket or from `handle()` in-process. */
export interface WireRequest {
  method: string;
  /** The path exactly as sent (still percent-encoded): SigV4 signs it in that form. */
  rawPath: string;
  /** The query string without "?", exactly as sent. */
  rawQuery: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Read once: a stream for sockets, bytes for in-process requests. */
  body: AsyncIterable<Uint8Array> | Uint8Array;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body?: Uint8Array | string | AsyncIterable<Uint8Array>;
}

/** A request whose signature (or bearer token) has been checked, ready for a protocol to parse. */
export interface AuthenticatedRequest extends WireRequest {
  /** The body, decoded from aws-chunked when the client sent it so; buffered unless the protocol streams. */
  body: AsyncIterable<Uint8Array> | Uint8Array;
}

export interface ParsedCall {
  operation: string;
  input: Record<string, unknown>;
}

/**
 * One wire protocol (JSON 1.0/1.1, REST-JSON, REST-XML, query, AMC): turns a request into an
 * operation call and renders the operation's output or AwsError byte for byte as the real service does.
 */
export interface ProtocolHandler {
  readonly name: string;
  /** true when parse() reads the body as a stream (S3 objects); otherwise serve buffers it first. */
  readonly streamsBody: boolean;
  /** Throws AwsError (e.g. UnknownOperationException, SerializationException) for requests it cannot map. */
  parse(request: AuthenticatedRequest): Promise<ParsedCall>;
  render(call: ParsedCall, output: Record<string, unknown>, requestId: string): WireResponse;
  renderError(error: AwsError, requestId: string, call?: ParsedCall): WireResponse;
  /** The error this protocol's real service answers for an operation it does not have. */
  unknownOperation(operation: string): AwsError;
  /** The service's own error for a failed signature check (codes differ between S3, query and JSON services). */
  authError(failure: AuthFailure): AwsError;
}
