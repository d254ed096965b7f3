import { createHash, type Hash } from "node:crypto";
import { crc32 } from "node:zlib";
import { AwsError } from "../cloud/aws-error.ts";

interface Digest {
  update(chunk: Uint8Array): void;
  /** Encoded as the header carries it: base64 for x-amz-checksum-* and Content-MD5, hex for x-amz-content-sha256. */
  digest(): string;
}

class Crc32Digest implements Digest {
  private value = 0;
  update(chunk: Uint8Array): void {
    this.value = crc32(chunk, this.value);
  }
  digest(): string {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(this.value >>> 0);
    return bytes.toString("base64");
  }
}

const hashDigest = (algorithm: string, encoding: "base64" | "hex"): Digest => {
  const hash: Hash = createHash(algorithm);
  return { update: (chunk) => hash.update(chunk), digest: () => hash.digest(encoding) };
};

/** The checksums serve can verify; others (crc32c, crc64nvme) are accepted unverified. */
const DIGESTS: Record<string, { label: string; create: () => Digest }> = {
  "x-amz-checksum-crc32": { label: "CRC32", create: () => new Crc32Digest() },
  "x-amz-checksum-sha1": { label: "SHA1", create: () => hashDigest("sha1", "base64") },
  "x-amz-checksum-sha256": { label: "SHA256", create: () => hashDigest("sha256", "base64") },
  "content-md5": { label: "Content-MD5", create: () => hashDigest("md5", "base64") },
  "x-amz-content-sha256": { label: "x-amz-content-sha256", create: () => hashDigest("sha256", "hex") },
};

const isHexSha256 = (value: string) => /^[0-9a-f]{64}$/i.test(value);

/**
 * Passes the body through while hashing it, and fails at its end if a checksum the client sent (as a
 * header, or as an aws-chunked trailer named by x-amz-trailer) does not match — the way S3 answers
 * BadDigest / XAmzContentSHA256Mismatch after reading the whole upload.
 */
export async function* verifyChecksums(
  body: AsyncIterable<Uint8Array>,
  headers: Record<string, string>,
  trailers: Record<string, string>,
): AsyncGenerator<Uint8Array> {
  const trailerName = headers["x-amz-trailer"]?.toLowerCase();
  const active = Object.entries(DIGESTS).flatMap(([name, { label, create }]) => {
    const sent = headers[name];
    if (name === "x-amz-content-sha256" && !(sent && isHexSha256(sent))) return [];
    if (!sent && name !== trailerName) return [];
    return [{ name, label, digest: create() }];
  });
  for await (const chunk of body) {
    for (const { digest } of active) digest.update(chunk);
    yield chunk;
  }
  for (const { name, label, digest } of active) {
    const expected = headers[name] ?? trailers[name];
    if (expected === undefined) continue;
    const actual = digest.digest();
    const same = name === "x-amz-content-sha256" ? actual === expected.toLowerCase() : actual === expected;
    if (same) continue;
    if (name === "x-amz-content-sha256") {
      throw new AwsError(
        "XAmzContentSHA256Mismatch",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        400,
      );
    }
    if (name === "content-md5") {
      throw new AwsError("BadDigest", "The Content-MD5 you specified did not match what we received.", 400);
    }
    throw new AwsError("BadDigest", `The ${label} you specified did not match the calculated checksum.`, 400);
  }
}
