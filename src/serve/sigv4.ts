import { createHash, createHmac, type Hash, type Hmac, timingSafeEqual } from "node:crypto";
import { HttpRequest } from "@smithy/protocol-http";
import {
  createScope,
  GENERATED_HEADERS,
  getCanonicalHeaders,
  getPayloadHash,
  SignatureV4,
} from "@smithy/signature-v4";
import type { WireRequest } from "./protocol.ts";

/** Why a request failed authentication; each protocol names it with its own AWS error code. */
export type AuthFailureKind = "missing" | "malformed" | "unknownKey" | "mismatch" | "skewed" | "expired";

export class AuthFailure extends Error {
  override readonly name = "AuthFailure";
  constructor(
    readonly kind: AuthFailureKind,
    message: string,
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

/**
 * Verifies a SigV4 request (Authorization header or presigned query) by recomputing its signature
 * with @smithy/signature-v4 over the request as received. `payload` is the buffered body for
 * protocols that buffer; streamed bodies must carry x-amz-content-sha256 (S3 always does).
 */
export async function verifySigV4(
  request: WireRequest,
  lookupSecret: (accessKeyId: string) => SigningSecret | undefined,
  payload: Uint8Array | undefined,
  now = new Date(),
  parsed: ParsedAuth | undefined = parseAuthorization(request),
): Promise<CredentialScope> {
  const auth = parsed;
  if (!auth) throw new AuthFailure("missing", "Missing Authentication Token");
  const { scope } = auth;
  const signingDate = parseAmzDate(auth.amzDate);
  if (!signingDate)
    throw new AuthFailure(
      "malformed",
      `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'".`,
    );
  const secret = lookupSecret(scope.accessKeyId);
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
  for (const [key, value] of decodeQuery(request.rawQuery)) {
    const existing = query[key];
    query[key] =
      existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const contentSha = request.headers["x-amz-content-sha256"];
  // Presigned S3 URLs sign UNSIGNED-PAYLOAD without sending the header.
  if (scope.presigned) headers["x-amz-content-sha256"] = contentSha ?? "UNSIGNED-PAYLOAD";
  else if (contentSha !== undefined) headers["x-amz-content-sha256"] = contentSha;

  const httpRequest = new HttpRequest({
    method: request.method,
    protocol: "http:",
    hostname: "",
    path: request.rawPath,
    query,
    headers,
    body: contentSha === undefined && !scope.presigned ? (payload ?? new Uint8Array()) : undefined,
  });
  const signer = signerFor(secret, scope);
  let expected: string;
  if (scope.presigned) {
    const presigned = await signer.presign(httpRequest, {
      signingDate,
      expiresIn: auth.expires,
      signableHeaders: signed,
      unsignableHeaders: signed.has("x-amz-content-sha256") ? undefined : new Set(["x-amz-content-sha256"]),
      // The headers here are the ones the client kept as headers; hoisting them would change the query.
      unhoistableHeaders: new Set([...signed, "x-amz-content-sha256"]),
    });
    expected = String(presigned.query?.["X-Amz-Signature"] ?? "");
  } else {
    expected = await signer.headerSignature(
      httpRequest,
      signingDate,
      signed,
      signed.has("x-amz-content-sha256") ? undefined : new Set(["x-amz-content-sha256"]),
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

type SigningKeyDerivation = (
  credentials: SigningSecret,
  region: string,
  shortDate: string,
  service?: string,
) => Promise<Uint8Array>;

/**
 * Signers are stateless per (secret, region, service); reusing them keeps verification cheap under
 * load. Each one also keeps its derived signing key per day: @smithy's own cache hashes the secret
 * on every call just to look the key up, which costs as much as a signature.
 */
const signers = new WeakMap<SigningSecret, Map<string, VerifyingSigner>>();

class VerifyingSigner extends SignatureV4 {
  /**
   * The signature sign() would put in the Authorization header, computed by the same @smithy steps
   * (canonical headers, canonical request, string to sign, HMAC with the derived key) without the
   * request clone and the header string that sign() builds only for us to parse back.
   */
  async headerSignature(
    request: HttpRequest,
    signingDate: Date,
    signableHeaders: Set<string>,
    unsignableHeaders: Set<string> | undefined,
  ): Promise<string> {
    const { longDate, shortDate } = this.formatDate(signingDate);
    const region = await this.regionProvider();
    // As sign()'s prepareRequest: these are never taken from the input; x-amz-date is rebuilt from the signing date.
    for (const name of GENERATED_HEADERS) delete request.headers[name];
    request.headers["x-amz-date"] = longDate;
    const payloadHash = await getPayloadHash(request, this.sha256);
    const canonicalHeaders = getCanonicalHeaders(request, unsignableHeaders, signableHeaders);
    const stringToSign = await this.createStringToSign(
      longDate,
      createScope(shortDate, region, this.service),
      this.createCanonicalRequest(request, canonicalHeaders, payloadHash),
      ALGORITHM,
    );
    return this.sign(stringToSign, { signingDate });
  }
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
    signer = new VerifyingSigner({
      credentials: { accessKeyId: secret.accessKeyId, secretAccessKey: secret.secretAccessKey },
      region: scope.region,
      service: scope.service,
      sha256: Sha256,
      // S3 signs the path as sent; every other service signs it URI-encoded once more.
      uriEscapePath: scope.service !== "s3",
      applyChecksum: false,
    });
    cacheSigningKeys(signer);
    bySecret.set(key, signer);
  }
  return signer;
}

/** Memoizes the signer's (private) key derivation per day and service; the derivation itself stays @smithy's. */
function cacheSigningKeys(signer: SignatureV4): void {
  const target = signer as unknown as { getSigningKey: SigningKeyDerivation };
  const derive = target.getSigningKey.bind(signer);
  const keys = new Map<string, Promise<Uint8Array>>();
  target.getSigningKey = (credentials, region, shortDate, service) => {
    const cacheKey = `${shortDate}/${region}/${service ?? ""}`;
    let derived = keys.get(cacheKey);
    if (!derived) {
      // A signer sees one region and service, so only the date varies: a few days' keys at most.
      if (keys.size > 8) keys.clear();
      derived = derive(credentials, region, shortDate, service);
      keys.set(cacheKey, derived);
    }
    return derived;
  };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
