/** Each step of serve's request pipeline on its own, with a hand-made context and the real protocols. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AwsError } from "../cloud/aws-error.ts";
import { amcProtocol } from "./amc/index.ts";
import { protocolsBySigningName } from "./app.ts";
import { compose, type ServeContext } from "./pipeline.ts";
import type { WireRequest } from "./protocol.ts";
import { type AccessLogEntry, accessLog } from "./steps/access-log.ts";
import { bearerAuth } from "./steps/authenticate.ts";
import { detectService } from "./steps/detect-service.ts";
import { finishResponse } from "./steps/finish-response.ts";
import { readBody } from "./steps/read-body.ts";
import { renderErrors } from "./steps/render-errors.ts";

const protocols = protocolsBySigningName();

function context(request: Partial<WireRequest> = {}): ServeContext {
  const full: WireRequest = {
    method: "POST",
    rawPath: "/",
    rawQuery: "",
    headers: {},
    body: new Uint8Array(),
    ...request,
  };
  return {
    request: full,
    requestId: "req-1",
    protocol: protocols.cloudcontrolapi,
    serviceName: "unknown",
    scheme: "sigv4",
    body: full.body,
  };
}

const end = async () => {};

describe("serve pipeline steps", () => {
  it("compose runs the steps in order, each around the ones after it", async () => {
    const seen: string[] = [];
    const run = compose([
      async (_c, next) => {
        seen.push("a>");
        await next();
        seen.push("<a");
      },
      async (_c, next) => {
        seen.push("b>");
        await next();
        seen.push("<b");
      },
    ]);
    await run(context());
    assert.deepEqual(seen, ["a>", "b>", "<b", "<a"]);
  });

  it("detectService: the bearer scheme goes to AMC, a SigV4 scope picks its protocol, an unknown service is refused", async () => {
    const amc = amcProtocol([]);
    const step = detectService({ protocols, services: {}, amc: { protocol: amc }, restRouters: [] });
    const bearer = context({ headers: { authorization: "Bearer x" }, rawPath: "/amc/reporting" });
    await step(bearer, end);
    assert.equal(bearer.scheme, "bearer");
    assert.equal(bearer.protocol, amc);
    const glue = context({
      headers: {
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIAAAAAAAAAAAAAAAAA/20260101/us-east-1/glue/aws4_request, SignedHeaders=host;x-amz-date, Signature=" +
          "0".repeat(64),
        "x-amz-date": "20260101T000000Z",
      },
    });
    await step(glue, end);
    assert.equal(glue.serviceName, "glue");
    assert.equal(glue.protocol, protocols.glue);
    const other = context({
      headers: {
        ...glue.request.headers,
        authorization: glue.request.headers.authorization?.replace("/glue/", "/sqs/") ?? "",
      },
    });
    await assert.rejects(step(other, end), /'sqs' is not a service of this local cloud/);
  });

  it("readBody: a buffered document over the cap is 413 before anything parses it; a stream fails once it passes the cap", async () => {
    const step = readBody({ maxBodyBytes: 10 });
    const big = context({ body: new Uint8Array(11) });
    await assert.rejects(step(big, end), (error: AwsError) => error.status === 413);
    const fits = context({ body: new Uint8Array(10) });
    await step(fits, end);
    assert.equal(fits.payload?.byteLength, 10, "the signature check gets the bytes as received");

    const upload = context({
      body: (async function* () {
        yield new Uint8Array(6);
        yield new Uint8Array(6);
      })(),
    });
    upload.protocol = protocols.s3;
    await step(upload, end);
    const read = async () => {
      for await (const _ of upload.body as AsyncIterable<Uint8Array>);
    };
    await assert.rejects(read(), /IDBRIDGE_MAX_BODY_BYTES/);
  });

  it("bearerAuth: refuses a wrong token; skips SigV4 requests", async () => {
    const step = bearerAuth({ token: "right-token-right-token", region: "us-east-1" });
    const wrong = context({ headers: { authorization: "Bearer wrong" } });
    wrong.scheme = "bearer";
    await assert.rejects(step(wrong, end), /not valid for this local AMC/);
    const right = context({
      headers: { authorization: "Bearer right-token-right-token", "amazon-advertising-api-clientid": "c1" },
    });
    right.scheme = "bearer";
    await step(right, end);
    assert.equal(right.principal, "c1");
    const sigv4 = context();
    let ran = false;
    await step(sigv4, async () => {
      ran = true;
    });
    assert.ok(ran);
  });

  it("renderErrors: an AwsError in the protocol's shape; anything else a bare 500, its class kept for the log", async () => {
    const step = renderErrors();
    const known = context();
    await step(known, async () => {
      throw new AwsError("ResourceNotFoundException", "gone", 400);
    });
    assert.equal(known.response?.status, 400);
    assert.match(String(known.response?.body), /com\.amazon\.cloudapiservice#ResourceNotFoundException/);
    const broken = context();
    await step(broken, async () => {
      throw new TypeError("secret detail");
    });
    assert.equal(broken.response?.status, 500);
    assert.ok(!String(broken.response?.body).includes("secret"));
    assert.equal(broken.unexpected, "TypeError");
  });

  it("finishResponse: no body on HEAD, and a Date header from the serve clock", async () => {
    const step = finishResponse({ now: () => new Date("2026-01-02T03:04:05Z") });
    const head = context({ method: "HEAD" });
    await step(head, async () => {
      head.response = { status: 200, headers: {}, body: "x" };
    });
    assert.equal(head.response?.body, undefined);
    assert.equal(head.response?.headers.date, "Fri, 02 Jan 2026 03:04:05 GMT");
  });

  it("accessLog: one entry with service, operation, status and principal, never the input", async () => {
    const entries: AccessLogEntry[] = [];
    const step = accessLog({ log: (entry) => entries.push(entry) });
    const c = context();
    await step(c, async () => {
      c.serviceName = "glue";
      c.principal = "AKIAEXAMPLE";
      c.call = { operation: "GetDatabase", input: { Name: "jane@example.com" } };
      c.response = { status: 200, headers: {} };
    });
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.service, "glue");
    assert.equal(entries[0]?.operation, "GetDatabase");
    assert.equal(entries[0]?.status, 200);
    assert.ok(!JSON.stringify(entries).includes("jane"));
  });
});
