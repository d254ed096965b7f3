import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AwsError } from "../cloud/aws-error.ts";
import { decodeAwsChunked } from "./aws-chunked.ts";

async function* pieces(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function decode(encoded: string, pieceSize: number) {
  const trailers: Record<string, string> = {};
  const out: Buffer[] = [];
  for await (const chunk of decodeAwsChunked(pieces(Buffer.from(encoded), pieceSize), trailers))
    out.push(Buffer.from(chunk));
  return { body: Buffer.concat(out).toString(), trailers };
}

describe("aws-chunked decoding", () => {
  const encoded =
    "5\r\nhello\r\n6;chunk-signature=abc\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";

  it("yields the payload and collects trailers whatever the read boundaries", async () => {
    for (const size of [1, 2, 3, 7, 64, 4096]) {
      const { body, trailers } = await decode(encoded, size);
      assert.equal(body, "hello world", `piece size ${size}`);
      assert.deepEqual(trailers, { "x-amz-checksum-crc32": "DUoRhQ==" });
    }
  });

  it("accepts a body that ends right after the last chunk", async () => {
    assert.equal((await decode("3\r\nabc\r\n0\r\n", 2)).body, "abc");
  });

  it("fails a truncated body with IncompleteBody and a malformed size with InvalidRequest", async () => {
    await assert.rejects(decode("a\r\nshort", 3), (error: AwsError) => error.code === "IncompleteBody");
    await assert.rejects(
      decode("zz\r\nabc\r\n0\r\n\r\n", 3),
      (error: AwsError) => error.code === "InvalidRequest",
    );
    await assert.rejects(
      decode("3\r\nabcXX0\r\n\r\n", 3),
      (error: AwsError) => error.code === "InvalidRequest",
    );
  });
});
