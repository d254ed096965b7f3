import { createHash, createHmac, type Hash, type Hmac, hash, timingSafeEqual } from "node:crypto";
import { HttpRequest } from "@smithy/protocol-http";
import {
  createScope,
  GENERATED_HEADERS,
  getCanonicalHeaders,
  getSigningKey,
  SignatureV4,
} from "@smithy/signature-v4";
import type { WireRequest } from "./protocol.ts";

/** Why a request failed authentication; each protocol names it with its own AWS error code. */
export type AuthFailureKind =
  | "missing"
  | "malformed"
  | "unknownKey"
  | "mismatch"
  | "skewed"
  | "expired"
  | "region";

/** For a "region" failure: which region was signed for and which one this endpoint is. */
export interface RegionMismatch {
  region: string;
  expectedRegion: string;
  presigned: boolean;
}

export class AuthFailure extends Error {
  override readonly name = "AuthFailure";
  constructor(
    readonly kind: AuthFailureKind,
    message: string,
    readonly regionMismatch?: RegionMismatch,
  ) {
    super(message);
  }
}

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  presigned: boolean;
}

export interface SigningSecret {
  accessKeyId: string;
  secretAccessKey: string;
}

/** AWS accepts header-signed requests up to 15 minutes off its clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** SigV4 presigned URLs live at most 7 days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
const ALGORITHM = "AWS4-HMAC-SHA256";
/** The header as every SDK writes it; anything else goes through the field-by-field parser. */
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^,\s]+), ?SignedHeaders=([^,\s]+), ?Signature=([0-9a-f]{64})$/;

/** Decoded query pairs of a raw query string; "+" stays "+" because SigV4 clients send %20 for spaces. */
export function decodeQuery(rawQuery: string): Array<[string, string]> {
  if (!rawQuery) return [];
  return rawQuery
    .split("&")
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf("=");
      const key = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? "" : part.slice(eq + 1);
      return [safeDecode(key), safeDecode(value)] as [string, string];
    });
}

export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export interface ParsedAuth {
  scope: CredentialScope;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  expires?: number;
}

function parseScope(credential: string, presigned: boolean): CredentialScope {
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request" || !parts[0]) {
    throw new AuthFailure(
      "malformed",
      `Credential should be scoped to a valid region, not '${parts[2] ?? ""}'. Expected AKID/yyyymmdd/region/service/aws4_request.`,
    );
  }
  const [accessKeyId = "", date = "", region = "", service = ""] = parts;
  return { accessKeyId, date, region, service, presigned };
}

/** The SigV4 fields of a request (header or presigned query); undefined when it carries none. */
export function parseAuthorization(request: WireRequest): ParsedAuth | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const fast = AUTHORIZATION.exec(header);
    if (fast) {
      const amzDate = request.headers["x-amz-date"];
      if (amzDate) {
        return {
          scope: parseScope(fast[1] as string, false),
          signedHeaders: (fast[2] as string).split(";"),
          signature: fast[3] as string,
          amzDate,
        };
      }
    }
    if (!header.startsWith(`${ALGORITHM} `)) {
      throw new AuthFailure("malformed", `Unsupported Authorization Type; only ${ALGORITHM} is accepted.`);
    }
    const fields: Record<string, string> = Object.fromEntries(
      header
        .slice(ALGORITHM.length + 1)
        .split(",")
        .map((field) => field.trim())
        .filter(Boolean)
        .map((field) => {
          const eq = field.indexOf("=");
          return [field.slice(0, eq), field.slice(eq + 1)];
        }),
    );
    for (const required of ["Credential", "SignedHeaders", "Signature"]) {
      if (!fields[required]) {
        throw new AuthFailure(
          "malformed",
          `Authorization header requires '${required}' parameter. Authorization=${ALGORITHM} Credential=…, SignedHeaders=…, Signature=…`,
        );
      }
    }
    const amzDate = request.headers["x-amz-date"];
    if (!amzDate) {
      throw new AuthFailure(
        "malformed",
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      );
    }
    return {
      scope: parseScope(fields.Credential ?? "", false),
      signedHeaders: (fields.SignedHeaders ?? "").split(";"),
      signature: fields.Signature ?? "",
      amzDate,
    };
  }
  const query = new Map(decodeQuery(request.rawQuery));
  if (!query.has("X-Amz-Credential") && !query.has("X-Amz-Signature")) return undefined;
  for (const required of [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
    "X-Amz-Expires",
  ]) {
    if (!query.get(required))
      throw new AuthFailure("malformed", `Query-string authentication requires the ${required} parameter.`);
  }
  if (query.get("X-Amz-Algorithm") !== ALGORITHM) {
    throw new AuthFailure("malformed", `X-Amz-Algorithm only supports "${ALGORITHM}".`);
  }
  return {
    scope: parseScope(query.get("X-Amz-Credential") as string, true),
    signedHeaders: (query.get("X-Amz-SignedHeaders") as string).split(";"),
    signature: query.get("X-Amz-Signature") as string,
    amzDate: query.get("X-Amz-Date") as string,
    expires: Number(query.get("X-Amz-Expires")),
  };
}

function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [y = 0, mo = 1, d = 0, h = 0, mi = 0, s = 0] = match.slice(1).map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

const iso = (date: Date) =>
  date
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");

export interface VerifyOptions {
  lookupSecret: (accessKeyId: string) => SigningSecret | undefined;
  /** The region every credential scope must name. */
  region: string;
  /** The buffered body as received, for protocols that buffer; undefined for a streamed body. */
  payload: Uint8Array | undefined;
  now?: Date;
  parsed?: ParsedAuth | undefined;
}

/** One-shot SHA-256 (crypto.hash, Node ≥ 20.12), without a Hash object per call. */
const sha256Hex = (data: string | Uint8Array): string => hash("sha256", data, "hex");

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

/**
 * Verifies a SigV4 request (Authorization header or presigned query) by recomputing its signature
 * with @smithy/signature-v4's canonicalization over the request as received. A buffered `payload`
 * is hashed as it arrived: the signature then covers exactly those bytes, whatever an (unsigned)
 * x-amz-content-sha256 header claims. A streamed body (S3) is signed through that header, and
 * checksums.ts checks the bytes against it while they are read.
 */
export async function verifySigV4(request: WireRequest, options: VerifyOptions): Promise<CredentialScope> {
  const now = options.now ?? new Date();
  const auth = options.parsed === undefined ? parseAuthorization(request) : options.parsed;
  if (!auth) throw new AuthFailure("missing", "Missing Authentication Token");
  const { scope } = auth;
  const signingDate = parseAmzDate(auth.amzDate);
  if (!signingDate)
    throw new AuthFailure(
      "malformed",
      `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'".`,
    );
  if (scope.region !== options.region) {
    throw new AuthFailure("region", `Credential should be scoped to a valid region, not '${scope.region}'.`, {
      expectedRegion: options.region,
      region: scope.region,
      presigned: scope.presigned,
    });
  }
  const secret = options.lookupSecret(scope.accessKeyId);
  if (!secret) {
    throw new AuthFailure("unknownKey", "The security token included in the request is invalid.");
  }
  if (scope.date !== auth.amzDate.slice(0, 8)) {
    throw new AuthFailure(
      "mismatch",
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${auth.amzDate.slice(0, 8)}'.`,
    );
  }
  if (auth.expires !== undefined) {
    if (!Number.isInteger(auth.expires) || auth.expires < 1 || auth.expires > MAX_PRESIGN_SECONDS) {
      throw new AuthFailure("malformed", "X-Amz-Expires must be between 1 and 604800 seconds.");
    }
    if (now.getTime() > signingDate.getTime() + auth.expires * 1000) {
      throw new AuthFailure("expired", "Request has expired");
    }
    if (signingDate.getTime() - now.getTime() > MAX_CLOCK_SKEW_MS) {
      throw new AuthFailure("skewed", "Request is not yet valid");
    }
  } else if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw new AuthFailure(
      "skewed",
      `Signature expired: ${auth.amzDate} is now earlier than ${iso(new Date(now.getTime() - MAX_CLOCK_SKEW_MS))} (${iso(now)} - 15 min.)`,
    );
  }

  const signed = new Set(auth.signedHeaders.map((name) => name.toLowerCase()));
  if (!signed.has("host"))
    throw new AuthFailure("malformed", "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = request.headers[name];
    if (value === undefined) {
      throw new AuthFailure(
        "mismatch",
        `The request signature we calculated does not match the signature you provided: signed header '${name}' is missing.`,
      );
    }
    headers[name] = value;
  }
  const query: Record<string, string | string[]> = {};
  if (request.rawQuery) {
    for (const [key, value] of decodeQuery(request.rawQuery)) {
      const existing = query[key];
      query[key] =
        existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
  }
  const contentSha = request.headers["x-amz-content-sha256"];
  const signer = signerFor(secret, scope);
  let expected: string;
  if (scope.presigned) {
    // Presigned S3 URLs sign UNSIGNED-PAYLOAD without sending the header.
    headers["x-amz-content-sha256"] = contentSha ?? UNSIGNED_PAYLOAD;
    const presigned = await signer.presign(
      new HttpRequest({
        method: request.method,
        protocol: "http:",
        hostname: "",
        path: request.rawPath,
        query,
        headers,
      }),
      {
        signingDate,
        expiresIn: auth.expires,
        signableHeaders: signed,
        unsignableHeaders: signed.has("x-amz-content-sha256") ? undefined : new Set(["x-amz-content-sha256"]),
        // The headers here are the ones the client kept as headers; hoisting them would change the query.
        unhoistableHeaders: new Set([...signed, "x-amz-content-sha256"]),
      },
    );
    expected = String(presigned.query?.["X-Amz-Signature"] ?? "");
  } else {
    const payloadHash =
      options.payload !== undefined ? sha256Hex(options.payload) : (contentSha ?? EMPTY_SHA256);
    expected = await signer.headerSignature(
      { method: request.method, path: request.rawPath, query, headers },
      auth.amzDate,
      signed,
      payloadHash,
    );
  }
  if (!sameText(expected, auth.signature)) {
    throw new AuthFailure(
      "mismatch",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  }
  return scope;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === "string" || data instanceof Uint8Array
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/**
 * SHA-256 / HMAC-SHA-256 for the signer, straight on node:crypto: the signer only ever hands it
 * strings and byte arrays, so @smithy/hash-node's per-call source conversions are pure overhead here.
 */
class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
  reset(): void {
    this.hash = this.secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(this.secret));
  }
}

/** What the canonical request is built from: the request as received, signed headers only. */
export interface SignableRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
}

/**
 * Signers per (secret, region, service), reused under load. Each keeps its derived signing keys
 * per day: @smithy's own key cache hashes the secret on every call just to look the key up, which
 * costs as much as a signature.
 */
const signers = new WeakMap<SigningSecret, Map<string, VerifyingSigner>>();

export class VerifyingSigner extends SignatureV4 {
  private readonly keys = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly secret: SigningSecret,
    private readonly region: string,
    service: string,
  ) {
    super({
      credentials: { accessKeyId: secret.accessKeyId, secretAccessKey: secret.secretAccessKey },
      region,
      service,
      sha256: Sha256,
      // S3 signs the path as sent; every other service signs it URI-encoded once more.
      uriEscapePath: service !== "s3",
      applyChecksum: false,
    });
  }

  /** @smithy's key derivation (HMAC chain over date, region, service), once per day. */
  private signingKey(shortDate: string): Promise<Uint8Array> {
    let key = this.keys.get(shortDate);
    if (!key) {
      // A signer sees one region and service, so only the date varies: a few days' keys at most.
      if (this.keys.size > 8) this.keys.clear();
      key = getSigningKey(Sha256, this.secret, shortDate, this.region, this.service);
      this.keys.set(shortDate, key);
    }
    return key;
  }

  /** @smithy's canonical request, as sign() builds it. */
  canonicalRequest(
    request: SignableRequest,
    longDate: string,
    signableHeaders: Set<string>,
    payloadHash: string,
  ): string {
    const headers = { ...request.headers };
    // As sign()'s prepareRequest: these are never taken from the input; x-amz-date is rebuilt from the signing date.
    for (const name of GENERATED_HEADERS) delete headers[name];
    headers["x-amz-date"] = longDate;
    const signable = { ...request, headers } as unknown as HttpRequest;
    return this.createCanonicalRequest(
      signable,
      getCanonicalHeaders(signable, undefined, signableHeaders),
      payloadHash,
    );
  }

  /**
   * The signature of a header-signed request, by the SigV4 steps sign() takes: @smithy's canonical
   * headers and canonical request (path and query encoding included), the string to sign over its
   * SHA-256, and the HMAC with the derived key, without sign()'s request clone and header string.
   * `longDate` is the request's X-Amz-Date, already checked to be yyyyMMddTHHmmssZ.
   */
  async headerSignature(
    request: SignableRequest,
    longDate: string,
    signableHeaders: Set<string>,
    payloadHash: string,
  ): Promise<string> {
    const shortDate = longDate.slice(0, 8);
    const canonicalRequest =
      request.path === "/" && isEmpty(request.query)
        ? rootCanonicalRequest(request, longDate, signableHeaders, payloadHash)
        : this.canonicalRequest(request, longDate, signableHeaders, payloadHash);
    const stringToSign =
      `${ALGORITHM}\n${longDate}\n${createScope(shortDate, this.region, this.service)}\n` +
      sha256Hex(canonicalRequest);
    const key = await this.signingKey(shortDate);
    return createHmac("sha256", key).update(stringToSign).digest("hex");
  }
}

/**
 * A header value as @smithy's getCanonicalHeaders writes it (SigV4: sequential spaces collapsed,
 * line breaks as spaces, the ends trimmed of one space); most values need none of it.
 */
const UNCANONICAL_VALUE = /[\r\n\t]| {2}|^ | $/;
const canonicalValue = (value: string) =>
  UNCANONICAL_VALUE.test(value)
    ? value
        .replace(/[\r\n]/g, " ")
        .replace(/[ \t]+/g, " ")
        .replace(/^ | $/g, "")
    : value;

const GENERATED = new Set(GENERATED_HEADERS);

function isEmpty(query: Record<string, unknown>): boolean {
  for (const _ in query) return false;
  return true;
}

/**
 * The canonical request of a header-signed POST / without a query (every JSON and query-protocol
 * call), built in one pass: the same text as @smithy's createCanonicalRequest over
 * getCanonicalHeaders (their equality is tested in sigv4.test.ts) — path "/" is canonical for S3 and
 * the others alike, the query is empty, and the headers are the signed ones except those sign()
 * generates, plus x-amz-date from the signing date.
 */
export function rootCanonicalRequest(
  request: SignableRequest,
  longDate: string,
  signableHeaders: Set<string>,
  payloadHash: string,
): string {
  const names: string[] = ["x-amz-date"];
  for (const name of signableHeaders) if (!GENERATED.has(name)) names.push(name);
  names.sort();
  let headers = "";
  for (const name of names) {
    const value = name === "x-amz-date" ? longDate : (request.headers[name] as string);
    headers += `${name}:${canonicalValue(value)}\n`;
  }
  return `${request.method}\n/\n\n${headers}\n${names.join(";")}\n${payloadHash}`;
}

function signerFor(secret: SigningSecret, scope: CredentialScope): VerifyingSigner {
  let bySecret = signers.get(secret);
  if (!bySecret) {
    bySecret = new Map();
    signers.set(secret, bySecret);
  }
  const key = `${scope.region}/${scope.service}`;
  let signer = bySecret.get(key);
  if (!signer) {
    if (bySecret.size > 64) bySecret.clear();
    signer = new VerifyingSigner(secret, scope.region, scope.service);
    bySecret.set(key, signer);
  }
  return signer;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
