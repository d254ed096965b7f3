import assert from "node:assert/strict";
import { test } from "node:test";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { AuthFailure, rootCanonicalRequest, VerifyingSigner, verifySigV4 } from "./sigv4.ts";

const secret = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const longDate = "20261205T130000Z";
const payloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// Header sets as clients send them, with the values SigV4 canonicalizes (runs of spaces, tabs,
// line breaks, spaces at the ends), headers sign() generates (date, authorization) and ones
// @smithy would not sign unless asked (user-agent).
const headerSets: Array<Record<string, string>> = [
  {
    host: "127.0.0.1:4566",
    "content-type": "application/x-amz-json-1.0",
    "x-amz-target": "CloudApiService.GetResource",
    "x-amz-date": longDate,
    "amz-sdk-invocation-id": "5f0e2c1a-0000-4000-8000-000000000000",
    "amz-sdk-request": "attempt=1; max=3",
    "x-amz-user-agent": "aws-sdk-js/3.0.0",
  },
  {
    host: "localhost",
    "x-amz-date": longDate,
    "x-amz-meta-odd": "  two  spaces\tand a tab  ",
    "x-amz-meta-lines": "one\r\ntwo\nthree",
    "user-agent": "aws-cli/1.0 Python/3",
    date: "Sat, 05 Dec 2026 13:00:00 GMT",
    "x-amz-content-sha256": payloadHash,
  },
  { host: "h", "x-amz-date": "19700101T000000Z", "x-amz-meta-edge": " " },
];

test("the canonical request of POST / is @smithy's, byte for byte, for S3 and the other services", () => {
  for (const service of ["cloudcontrolapi", "s3", "iam"]) {
    const signer = new VerifyingSigner(secret, "us-east-1", service);
    for (const headers of headerSets) {
      const signed = new Set(Object.keys(headers));
      const request = { method: "POST", path: "/", query: {}, headers: { ...headers } };
      assert.equal(
        rootCanonicalRequest(request, longDate, signed, payloadHash),
        signer.canonicalRequest(request, longDate, signed, payloadHash),
        `${service}: ${Object.keys(headers).join(",")}`,
      );
    }
  }
});

test("a request @smithy signed verifies; any change to a signed header, the body or the path does not", async () => {
  const now = new Date(Date.UTC(2026, 11, 5, 13, 0, 0));
  const client = new SignatureV4({
    credentials: secret,
    region: "us-east-1",
    service: "cloudcontrolapi",
    sha256: Hash.bind(null, "sha256"),
  });
  const body = '{"TypeName":"AWS::S3::Bucket","Identifier":"b"}';
  const signedRequest = await client.sign(
    new HttpRequest({
      method: "POST",
      protocol: "http:",
      hostname: "127.0.0.1",
      port: 4566,
      path: "/",
      headers: {
        host: "127.0.0.1:4566",
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "CloudApiService.GetResource",
        "x-amz-meta-spaced": "  a   b  ",
      },
      body,
    }),
    { signingDate: now },
  );
  type Change = Partial<{ path: string; body: string; headers: Record<string, string> }>;
  const wire = (change: Change = {}) => ({
    method: "POST",
    rawPath: change.path ?? "/",
    rawQuery: "",
    headers: Object.fromEntries(
      Object.entries({ ...signedRequest.headers, ...change.headers }).map(([k, v]) => [k.toLowerCase(), v]),
    ),
    body: new Uint8Array(),
  });
  const verify = (change?: Change) =>
    verifySigV4(wire(change), {
      lookupSecret: (id) => (id === secret.accessKeyId ? secret : undefined),
      region: "us-east-1",
      payload: Buffer.from(change?.body ?? body),
      now,
    });
  assert.equal((await verify()).accessKeyId, secret.accessKeyId);
  // Whitespace SigV4 canonicalizes away still verifies.
  assert.equal((await verify({ headers: { "x-amz-meta-spaced": "a b" } })).service, "cloudcontrolapi");
  const changes: Change[] = [
    { headers: { "x-amz-target": "CloudApiService.DeleteResource" } },
    { headers: { "x-amz-meta-spaced": "a  c" } },
    { body: '{"TypeName":"AWS::S3::Bucket","Identifier":"c"}' },
    { path: "/x" },
  ];
  for (const change of changes) {
    await assert.rejects(
      verify(change),
      (error: unknown) => error instanceof AuthFailure && error.kind === "mismatch",
    );
  }
});
