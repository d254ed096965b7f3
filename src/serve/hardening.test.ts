/**
 * serve under attack and abuse, over real sockets: a captured signed request replayed with another
 * body, credentials scoped to another region, bodies past the cap (an endless chunked upload, a
 * 17 MiB JSON document), JSON nested thousands deep, broken percent-encoding, and S3 keys that XML
 * cannot carry. Services are small recording fakes (what reached an operation is what matters here),
 * except S3, which is the local cloud's real S3 over its real store.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { signedRequest } from "../../test/support/signed-requests.ts";
import { createS3 } from "../cloud/s3/index.ts";
import type { AwsService } from "../cloud/service.ts";
import { openStore } from "../cloud/store/index.ts";
import type { Store } from "../cloud/store.ts";
import { type RunningServer, startServer } from "./index.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Every call that reached an operation, as "service.Operation". */
const calls: string[] = [];

function recording(signingName: string, operations: string[]): AwsService {
  return {
    signingName,
    operations: Object.fromEntries(
      operations.map((operation) => [
        operation,
        async (input: Record<string, unknown>) => {
          calls.push(`${signingName}.${operation}`);
          return { echoed: Object.keys(input).length };
        },
      ]),
    ),
  };
}

interface BodyCase {
  signingName: string;
  operation: string;
  method?: string;
  path?: string;
  headers: Record<string, string>;
  body: string;
  forged: string;
  /** The code the real service answers a signature that does not cover the body with, and its status. */
  refusal: [code: string, status: number];
}

const bodyCases: BodyCase[] = [
  {
    signingName: "cloudcontrolapi",
    operation: "CreateResource",
    headers: {
      "x-amz-target": "CloudApiService.CreateResource",
      "content-type": "application/x-amz-json-1.0",
    },
    body: JSON.stringify({ TypeName: "AWS::S3::Bucket", DesiredState: '{"BucketName":"mine"}' }),
    forged: JSON.stringify({ TypeName: "AWS::S3::Bucket", DesiredState: '{"BucketName":"forged"}' }),
    refusal: ["InvalidSignatureException", 403],
  },
  {
    signingName: "glue",
    operation: "CreateDatabase",
    headers: { "x-amz-target": "AWSGlue.CreateDatabase", "content-type": "application/x-amz-json-1.1" },
    body: JSON.stringify({ DatabaseInput: { Name: "mine" } }),
    forged: JSON.stringify({ DatabaseInput: { Name: "forged" } }),
    refusal: ["InvalidSignatureException", 403],
  },
  {
    signingName: "iam",
    operation: "CreateRole",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: "Action=CreateRole&Version=2010-05-08&RoleName=mine&AssumeRolePolicyDocument=%7B%7D",
    forged: "Action=CreateRole&Version=2010-05-08&RoleName=forged&AssumeRolePolicyDocument=%7B%7D",
    refusal: ["SignatureDoesNotMatch", 403],
  },
  {
    signingName: "entityresolution",
    operation: "CreateSchemaMapping",
    path: "/schemas",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ schemaName: "mine", mappedInputFields: [] }),
    forged: JSON.stringify({ schemaName: "forged", mappedInputFields: [] }),
    refusal: ["InvalidSignatureException", 403],
  },
  {
    signingName: "cleanrooms",
    operation: "CreateIdMappingTable",
    path: "/memberships/m1/idmappingtables",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "mine", inputReferenceConfig: {} }),
    forged: JSON.stringify({ name: "forged", inputReferenceConfig: {} }),
    refusal: ["InvalidSignatureException", 403],
  },
];

/** The error code of a raw answer in any of the protocols. */
async function errorCode(response: Response): Promise<string> {
  const header = response.headers.get("x-amzn-errortype");
  const text = await response.text();
  if (header) return header.split(":")[0] ?? "";
  if (/^\s*\{/.test(text))
    return (
      String(JSON.parse(text).__type ?? JSON.parse(text).code ?? "")
        .split("#")
        .pop() ?? ""
    );
  return /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? "";
}

describe("serve hardening", () => {
  let home: string;
  let store: Store;
  let server: RunningServer;
  let capped: RunningServer;
  let s3: S3Client;
  const bucket = `hard-${process.pid}`;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), "idbridge-serve-hard-"));
    store = await openStore(home);
    const services = {
      ...Object.fromEntries(bodyCases.map((c) => [c.signingName, recording(c.signingName, [c.operation])])),
      s3: createS3(store).service,
    };
    server = await startServer({ cloud: { services }, home, amcRoutes: [] });
    capped = await startServer({ cloud: { services }, home, amcRoutes: [], maxBodyBytes: 1024 * 1024 });
    s3 = new S3Client({
      endpoint: server.url,
      region: "us-east-1",
      credentials: server.credentials,
      forcePathStyle: true,
      maxAttempts: 1,
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  after(async () => {
    s3.destroy();
    await server.close();
    await capped.close();
    await store.close();
    await rm(home, { recursive: true, force: true });
  });

  describe("a signature covers the body it was made for", () => {
    for (const c of bodyCases) {
      it(`${c.signingName}: a replay with another body and an unsigned x-amz-content-sha256 of the old one is refused (${c.refusal[0]})`, async () => {
        const captured = await signedRequest(server, c.signingName, {
          method: c.method ?? "POST",
          path: c.path ?? "/",
          headers: c.headers,
          body: c.body,
        });
        assert.equal(
          captured.headers.get("x-amz-content-sha256"),
          null,
          "the SDK does not sign this header here",
        );
        calls.length = 0;
        const genuine = await fetch(captured.url, {
          method: captured.method,
          headers: captured.headers,
          body: c.body,
        });
        assert.equal(genuine.status, 200, await genuine.text());
        assert.deepEqual(calls, [`${c.signingName}.${c.operation}`], "the genuine request runs");

        calls.length = 0;
        const headers = new Headers(captured.headers);
        headers.set("x-amz-content-sha256", sha256(c.body));
        const replay = await fetch(captured.url, { method: captured.method, headers, body: c.forged });
        assert.equal(replay.status, c.refusal[1]);
        assert.equal(await errorCode(replay), c.refusal[0]);
        const plain = await fetch(captured.url, {
          method: captured.method,
          headers: captured.headers,
          body: c.forged,
        });
        assert.equal(plain.status, c.refusal[1], "and without the header too");
        await plain.body?.cancel();
        assert.deepEqual(calls, [], "the forged body reached no operation");
      });
    }

    it("s3: a PutObject replayed with another body fails its signed x-amz-content-sha256 and stores nothing", async () => {
      const captured = await signedRequest(server, "s3", {
        method: "PUT",
        path: `/${bucket}/replayed.csv`,
        headers: { "content-type": "text/csv" },
        body: "id\n1\n",
      });
      assert.equal(
        captured.headers.get("x-amz-content-sha256"),
        sha256("id\n1\n"),
        "S3 signs the body's hash",
      );
      const replay = await fetch(captured.url, {
        method: "PUT",
        headers: captured.headers,
        body: "id\n666\n",
      });
      assert.equal(replay.status, 400);
      assert.equal(await errorCode(replay), "XAmzContentSHA256Mismatch");
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "replayed" }));
      assert.equal(listed.KeyCount, 0);
    });
  });

  describe("a credential scoped to another region is refused as AWS does", () => {
    const elsewhere = () => ({ ...server, credentials: { ...server.credentials, region: "eu-west-1" } });
    for (const c of bodyCases) {
      it(`${c.signingName}: ${c.refusal[0]} ${c.refusal[1]}`, async () => {
        calls.length = 0;
        const response = await fetch(
          await signedRequest(elsewhere(), c.signingName, {
            method: c.method ?? "POST",
            path: c.path ?? "/",
            headers: c.headers,
            body: c.body,
          }),
        );
        assert.equal(response.status, c.refusal[1]);
        const text = await response.text();
        assert.match(text, /Credential should be scoped to a valid region, not (&apos;|')eu-west-1/);
        assert.deepEqual(calls, []);
      });
    }

    it("s3: AuthorizationHeaderMalformed 400 naming the expected region (header and presigned forms)", async () => {
      const signed = await fetch(
        await signedRequest(elsewhere(), "s3", { method: "GET", path: `/${bucket}` }),
      );
      assert.equal(signed.status, 400);
      const text = await signed.text();
      assert.match(text, /<Code>AuthorizationHeaderMalformed<\/Code>/);
      assert.match(text, /the region (&apos;|')eu-west-1(&apos;|') is wrong; expecting (&apos;|')us-east-1/);
      assert.match(text, /<Region>us-east-1<\/Region>/);

      const url = new URL(server.url);
      const presigned = await new SignatureV4({
        credentials: server.credentials,
        region: "eu-west-1",
        service: "s3",
        sha256: Hash.bind(null, "sha256"),
        uriEscapePath: false,
      }).presign(
        new HttpRequest({
          method: "GET",
          protocol: "http:",
          hostname: url.hostname,
          port: Number(url.port),
          path: `/${bucket}`,
          headers: { host: url.host },
        }),
        { expiresIn: 60 },
      );
      const query = new URLSearchParams(presigned.query as Record<string, string>)
        .toString()
        .replace(/\+/g, "%20");
      const viaQuery = await fetch(`${server.url}${presigned.path}?${query}`);
      assert.equal(viaQuery.status, 400);
      const queryText = await viaQuery.text();
      assert.match(queryText, /<Code>AuthorizationQueryParametersError<\/Code>/);
      assert.match(queryText, /<Region>us-east-1<\/Region>/);
    });
  });

  describe("size caps answer 413 and the client gets the answer", () => {
    it("a 17 MiB JSON document gets 413 in the service's shape, not a reset", async () => {
      const body = JSON.stringify({ Name: "x".repeat(17 * 1024 * 1024) });
      const response = await fetch(
        await signedRequest(server, "glue", {
          headers: { "x-amz-target": "AWSGlue.CreateDatabase", "content-type": "application/x-amz-json-1.1" },
          body,
        }),
      );
      assert.equal(response.status, 413);
      assert.equal(await errorCode(response), "RequestEntityTooLarge");
    });

    it("an endless chunked PUT is cut off at the cap with 413, stores nothing, and the connection then closes", async () => {
      const signed = await signedRequest(capped, "s3", {
        method: "PUT",
        path: `/${bucket}/endless.bin`,
        headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      });
      const url = new URL(signed.url);
      const headers = Object.fromEntries(signed.headers.entries());
      const status = await new Promise<{ status: number; text: string; sent: number }>((resolve, reject) => {
        const req = httpRequest({
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "PUT",
          headers,
        });
        const chunk = Buffer.alloc(64 * 1024, 7);
        let sent = 0;
        let answered = false;
        const pump = () => {
          while (!answered && sent < 64 * 1024 * 1024) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
          if (!answered) reject(new Error("64 MiB went in without an answer"));
        };
        req.on("response", (res) => {
          answered = true;
          let text = "";
          res.on("data", (data: Buffer) => {
            text += data.toString();
          });
          res.on("end", () => {
            resolve({ status: res.statusCode ?? 0, text, sent });
            req.destroy();
          });
        });
        req.on("error", (error) => {
          if (!answered) reject(error);
        });
        pump();
      });
      assert.equal(status.status, 413);
      assert.match(status.text, /<Code>RequestEntityTooLarge<\/Code>/);
      assert.match(status.text, /IDBRIDGE_MAX_BODY_BYTES/);
      assert.ok(status.sent < 64 * 1024 * 1024);
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "endless" }));
      assert.equal(listed.KeyCount, 0, "nothing stored");
    });

    it("a body under the cap still goes through on the capped server", async () => {
      const small = new S3Client({
        endpoint: capped.url,
        region: "us-east-1",
        credentials: capped.credentials,
        forcePathStyle: true,
      });
      try {
        await small.send(
          new PutObjectCommand({ Bucket: bucket, Key: "small.bin", Body: Buffer.alloc(512 * 1024) }),
        );
        const refused = await small
          .send(new PutObjectCommand({ Bucket: bucket, Key: "big.bin", Body: Buffer.alloc(1024 * 1024 + 1) }))
          .then(
            () => undefined,
            (error: Error & { $metadata?: { httpStatusCode?: number } }) => error,
          );
        assert.equal(refused?.$metadata?.httpStatusCode, 413);
      } finally {
        small.destroy();
      }
    });
  });

  describe("input that breaks parsers is a 400", () => {
    it("JSON nested 5,000 deep: SerializationException 400 (JSON) / ValidationException-shaped 400 (REST-JSON)", async () => {
      const deep = `{"a":${"[".repeat(5000)}${"]".repeat(5000)}}`;
      for (const c of bodyCases.filter((c) => c.signingName !== "iam")) {
        calls.length = 0;
        const response = await fetch(
          await signedRequest(server, c.signingName, { path: c.path ?? "/", headers: c.headers, body: deep }),
        );
        assert.equal(response.status, 400, c.signingName);
        assert.equal(await errorCode(response), "SerializationException", c.signingName);
        assert.deepEqual(calls, []);
      }
    });

    it("broken percent-encoding: InvalidURI (S3), ValidationException (REST-JSON), InvalidQueryParameter (IAM)", async () => {
      const s3Bad = await fetch(
        await signedRequest(server, "s3", { method: "GET", path: `/${bucket}/%E0%A4%A` }),
      );
      assert.equal(s3Bad.status, 400);
      assert.equal(await errorCode(s3Bad), "InvalidURI");
      const erBad = await fetch(
        await signedRequest(server, "cleanrooms", {
          path: "/memberships/m%ZZ1/idmappingtables",
          headers: { "content-type": "application/json" },
          body: "{}",
        }),
      );
      assert.equal(erBad.status, 400);
      assert.equal(await errorCode(erBad), "ValidationException");
      const iamBad = await fetch(
        await signedRequest(server, "iam", {
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "Action=CreateRole&Version=2010-05-08&RoleName=%E0%A4%A",
        }),
      );
      assert.equal(iamBad.status, 400);
      assert.equal(await errorCode(iamBad), "InvalidQueryParameter");
    });

    it("S3 keys XML cannot carry: listed with encoding-type=url, refused (400) instead of raw in XML", async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "nul/a\u0000b.csv", Body: "x" }));
      const encoded = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: "nul/", EncodingType: "url" }),
      );
      assert.deepEqual(
        encoded.Contents?.map((o) => o.Key),
        ["nul/a%00b.csv"],
      );
      const raw = await fetch(
        await signedRequest(server, "s3", {
          method: "GET",
          path: `/${bucket}`,
          query: { "list-type": "2", prefix: "nul/" },
        }),
      );
      const text = await raw.text();
      assert.equal(raw.status, 400);
      assert.ok(!text.includes("\u0000"), "no NUL on the wire");
      assert.match(text, /<Code>InvalidArgument<\/Code>.*encoding-type=url/);
    });
  });
});
