/**
 * One conformance suite, run against every wire protocol serve speaks: a real server on
 * 127.0.0.1:0 in front of a tiny fake service (a fake of the cloud only), driven by the official
 * AWS SDK v3 clients (and plain fetch for the AMC API), so requests and answers are judged by the
 * same code that talks to AWS.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CleanRoomsClient, GetIdMappingTableCommand } from "@aws-sdk/client-cleanrooms";
import { CloudControlClient, GetResourceCommand } from "@aws-sdk/client-cloudcontrol";
import { EntityResolutionClient, ListIdMappingJobsCommand } from "@aws-sdk/client-entityresolution";
import { GetDatabaseCommand, GlueClient } from "@aws-sdk/client-glue";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { signedFetch, signedRequest } from "../../test/support/signed-requests.ts";
import { AwsError } from "../cloud/aws-error.ts";
import type { AwsService, Operation } from "../cloud/service.ts";
import type { AccessLogEntry } from "./app.ts";
import { conforming } from "./conformance.ts";
import { type RunningServer, startServer } from "./index.ts";

type Auth = "valid" | "badSecret" | "unknownKey" | "skewed";

interface SdkConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
  systemClockOffset?: number;
}

// biome-ignore lint/suspicious/noExplicitAny: each case reads the members of its own SDK output.
type SdkOutput = Record<string, any>;

interface ProtocolCase {
  signingName: string;
  operation: string;
  /** Makes the call with the official client; returns the parsed output. */
  call(config: SdkConfig, server: RunningServer): Promise<SdkOutput>;
  /** Members the operation must receive, as the API model names them. */
  expectedInput: Record<string, unknown>;
  output: Record<string, unknown>;
  checkOutput(result: SdkOutput): void;
  /** An error of this service, the status AWS sends it with, and the name the SDK gives it. */
  serviceError: [code: string, status: number, sdkName?: string];
  codes: Record<Exclude<Auth, "valid"> | "internal" | "unknownOperation", string>;
  /** The operation's request as raw signed HTTP, and what the service's error looks like on the wire. */
  raw: {
    request: Parameters<typeof signedFetch>[2];
    checkError(response: Response, text: string): void;
  };
  /** An unsigned request for this service, to check the missing-authentication answer. */
  unsigned(url: string): Request;
  missingAuth: [code: string, status: number];
  /** The answer to an Authorization header without SignedHeaders/Signature. */
  incompleteSignature: [code: string, status: number];
}

const WHEN = new Date("2026-01-02T03:04:05.000Z");
const PII = "jane.doe@example.com";

const cases: ProtocolCase[] = [
  {
    signingName: "cloudcontrolapi",
    operation: "GetResource",
    call: (config) =>
      conforming(new CloudControlClient(config)).send(
        new GetResourceCommand({ TypeName: "AWS::S3::Bucket", Identifier: PII }),
      ),
    expectedInput: { TypeName: "AWS::S3::Bucket", Identifier: PII },
    output: {
      TypeName: "AWS::S3::Bucket",
      ResourceDescription: { Identifier: "b1", Properties: '{"BucketName":"b1"}' },
    },
    checkOutput: (out) => assert.equal(out.ResourceDescription.Properties, '{"BucketName":"b1"}'),
    serviceError: ["ResourceNotFoundException", 400],
    codes: {
      badSecret: "InvalidSignatureException",
      unknownKey: "UnrecognizedClientException",
      skewed: "InvalidSignatureException",
      internal: "InternalFailure",
      unknownOperation: "UnknownOperationException",
    },
    raw: {
      request: {
        headers: {
          "x-amz-target": "CloudApiService.GetResource",
          "content-type": "application/x-amz-json-1.0",
        },
        body: '{"TypeName":"AWS::S3::Bucket","Identifier":"b1"}',
      },
      checkError: (response, text) => {
        assert.equal(response.headers.get("content-type"), "application/x-amz-json-1.0");
        assert.deepEqual(JSON.parse(text), {
          __type: "com.amazon.cloudapiservice#ResourceNotFoundException",
          Message: "nothing here by that name",
        });
      },
    },
    unsigned: (url) =>
      new Request(`${url}/`, {
        method: "POST",
        headers: {
          "x-amz-target": "CloudApiService.GetResource",
          "content-type": "application/x-amz-json-1.0",
        },
        body: "{}",
      }),
    missingAuth: ["MissingAuthenticationTokenException", 403],
    incompleteSignature: ["IncompleteSignatureException", 400],
  },
  {
    signingName: "glue",
    operation: "GetDatabase",
    call: (config) => conforming(new GlueClient(config)).send(new GetDatabaseCommand({ Name: PII })),
    expectedInput: { Name: PII },
    output: { Database: { Name: "crm", CreateTime: WHEN, LocationUri: "s3://b/crm/" } },
    checkOutput: (out) => {
      assert.equal(out.Database.Name, "crm");
      assert.equal(out.Database.CreateTime.toISOString(), WHEN.toISOString());
    },
    serviceError: ["EntityNotFoundException", 400],
    codes: {
      badSecret: "InvalidSignatureException",
      unknownKey: "UnrecognizedClientException",
      skewed: "InvalidSignatureException",
      internal: "InternalFailure",
      unknownOperation: "UnknownOperationException",
    },
    raw: {
      request: {
        headers: { "x-amz-target": "AWSGlue.GetDatabase", "content-type": "application/x-amz-json-1.1" },
        body: '{"Name":"crm"}',
      },
      checkError: (response, text) => {
        assert.equal(response.headers.get("content-type"), "application/x-amz-json-1.1");
        assert.deepEqual(JSON.parse(text), {
          __type: "EntityNotFoundException",
          Message: "nothing here by that name",
        });
      },
    },
    unsigned: (url) =>
      new Request(`${url}/`, {
        method: "POST",
        headers: { "x-amz-target": "AWSGlue.GetDatabase", "content-type": "application/x-amz-json-1.1" },
        body: "{}",
      }),
    missingAuth: ["MissingAuthenticationTokenException", 403],
    incompleteSignature: ["IncompleteSignatureException", 400],
  },
  {
    signingName: "iam",
    operation: "GetRole",
    call: (config) => conforming(new IAMClient(config)).send(new GetRoleCommand({ RoleName: PII })),
    expectedInput: { RoleName: PII },
    output: {
      Role: {
        RoleName: "er-role",
        Arn: "arn:aws:iam::000000000000:role/er-role",
        RoleId: "AROAEXAMPLEROLEID0001",
        Path: "/",
        CreateDate: WHEN,
        MaxSessionDuration: 3600,
        Tags: [
          { Key: "a", Value: "1" },
          { Key: "b", Value: "<&>" },
        ],
      },
    },
    checkOutput: (out) => {
      assert.equal(out.Role.Arn, "arn:aws:iam::000000000000:role/er-role");
      assert.equal(out.Role.CreateDate.toISOString(), WHEN.toISOString());
      assert.equal(out.Role.MaxSessionDuration, 3600);
      assert.deepEqual(out.Role.Tags, [
        { Key: "a", Value: "1" },
        { Key: "b", Value: "<&>" },
      ]);
    },
    serviceError: ["NoSuchEntity", 404, "NoSuchEntityException"],
    codes: {
      badSecret: "SignatureDoesNotMatch",
      unknownKey: "InvalidClientTokenId",
      skewed: "SignatureDoesNotMatch",
      internal: "InternalFailure",
      unknownOperation: "InvalidAction",
    },
    raw: {
      request: {
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body: "Action=GetRole&Version=2010-05-08&RoleName=er-role",
      },
      checkError: (_response, text) => {
        assert.match(
          text,
          /^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>NoSuchEntity<\/Code><Message>nothing here by that name<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
        );
      },
    },
    unsigned: (url) =>
      new Request(`${url}/`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "Action=GetRole&Version=2010-05-08&RoleName=x",
      }),
    missingAuth: ["MissingAuthenticationToken", 403],
    incompleteSignature: ["IncompleteSignature", 400],
  },
  {
    signingName: "entityresolution",
    operation: "ListIdMappingJobs",
    call: (config) =>
      conforming(new EntityResolutionClient(config)).send(
        new ListIdMappingJobsCommand({ workflowName: "wf/with space", maxResults: 7, nextToken: PII }),
      ),
    expectedInput: { workflowName: "wf/with space", maxResults: 7, nextToken: PII },
    output: {
      jobs: [{ jobId: "a".repeat(32), status: "SUCCEEDED", startTime: WHEN.toISOString(), endTime: WHEN }],
    },
    checkOutput: (out) => {
      assert.equal(out.jobs[0].jobId, "a".repeat(32));
      assert.equal(out.jobs[0].startTime.toISOString(), WHEN.toISOString());
      assert.equal(out.jobs[0].endTime.toISOString(), WHEN.toISOString());
    },
    serviceError: ["ResourceNotFoundException", 404],
    codes: {
      badSecret: "InvalidSignatureException",
      unknownKey: "UnrecognizedClientException",
      skewed: "InvalidSignatureException",
      internal: "InternalFailure",
      unknownOperation: "UnknownOperationException",
    },
    raw: {
      request: { method: "GET", path: "/idmappingworkflows/wf/jobs" },
      checkError: (response, text) => {
        assert.equal(response.headers.get("x-amzn-errortype"), "ResourceNotFoundException");
        assert.deepEqual(JSON.parse(text), { message: "nothing here by that name" });
      },
    },
    unsigned: (url) => new Request(`${url}/idmappingworkflows/wf/jobs`),
    missingAuth: ["MissingAuthenticationTokenException", 403],
    incompleteSignature: ["IncompleteSignatureException", 400],
  },
  {
    signingName: "cleanrooms",
    operation: "GetIdMappingTable",
    call: (config) =>
      conforming(new CleanRoomsClient(config)).send(
        new GetIdMappingTableCommand({
          membershipIdentifier: "11111111-2222-3333-4444-555555555555",
          idMappingTableIdentifier: "66666666-7777-8888-9999-000000000000",
        }),
      ),
    expectedInput: {
      membershipIdentifier: "11111111-2222-3333-4444-555555555555",
      idMappingTableIdentifier: "66666666-7777-8888-9999-000000000000",
    },
    output: {
      idMappingTable: {
        id: "66666666-7777-8888-9999-000000000000",
        arn: "arn:aws:cleanrooms:us-east-1:000000000000:membership/11111111-2222-3333-4444-555555555555/idmappingtable/66666666-7777-8888-9999-000000000000",
        inputReferenceConfig: {
          inputReferenceArn: "arn:aws:entityresolution:us-east-1:000000000000:idmappingworkflow/wf",
          manageResourcePolicies: true,
        },
        membershipId: "11111111-2222-3333-4444-555555555555",
        membershipArn:
          "arn:aws:cleanrooms:us-east-1:000000000000:membership/11111111-2222-3333-4444-555555555555",
        collaborationId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        collaborationArn:
          "arn:aws:cleanrooms:us-east-1:000000000000:collaboration/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        inputReferenceProperties: {
          idMappingTableInputSource: [
            { idNamespaceAssociationId: "a1", type: "SOURCE" },
            { idNamespaceAssociationId: "a2", type: "TARGET" },
          ],
        },
        name: "t",
        createTime: WHEN,
        updateTime: WHEN,
      },
    },
    checkOutput: (out) => {
      assert.equal(out.idMappingTable.name, "t");
      assert.equal(out.idMappingTable.createTime.toISOString(), WHEN.toISOString());
    },
    serviceError: ["ServiceQuotaExceededException", 402],
    codes: {
      badSecret: "InvalidSignatureException",
      unknownKey: "UnrecognizedClientException",
      skewed: "InvalidSignatureException",
      internal: "InternalFailure",
      unknownOperation: "UnknownOperationException",
    },
    raw: {
      request: { method: "GET", path: "/memberships/m/idmappingtables/t" },
      checkError: (response, text) => {
        assert.equal(response.headers.get("x-amzn-errortype"), "ServiceQuotaExceededException");
        assert.deepEqual(JSON.parse(text), { message: "nothing here by that name" });
      },
    },
    unsigned: (url) => new Request(`${url}/memberships/m/idmappingtables/t`),
    missingAuth: ["MissingAuthenticationTokenException", 403],
    incompleteSignature: ["IncompleteSignatureException", 400],
  },
  {
    signingName: "s3",
    operation: "GetObject",
    call: async (config) => {
      const out = await conforming(new S3Client({ ...config, forcePathStyle: true })).send(
        new GetObjectCommand({ Bucket: "bkt", Key: `dir/${PII} x.csv` }),
      );
      return { ...out, text: await out.Body?.transformToString() };
    },
    expectedInput: { Bucket: "bkt", Key: `dir/${PII} x.csv` },
    output: {
      Body: Buffer.from("id,email\n"),
      ContentType: "text/csv",
      ETag: '"abc"',
      LastModified: WHEN,
      Metadata: { owner: "me" },
    },
    checkOutput: (out) => {
      assert.equal(out.text, "id,email\n");
      assert.equal(out.ContentType, "text/csv");
      assert.equal(out.ETag, '"abc"');
      assert.equal(out.LastModified.toISOString(), WHEN.toISOString());
      assert.deepEqual(out.Metadata, { owner: "me" });
    },
    serviceError: ["NoSuchKey", 404],
    codes: {
      badSecret: "SignatureDoesNotMatch",
      unknownKey: "InvalidAccessKeyId",
      skewed: "RequestTimeTooSkewed",
      internal: "InternalError",
      unknownOperation: "NotImplemented",
    },
    raw: {
      request: { method: "GET", path: "/bkt/k.csv" },
      checkError: (response, text) => {
        assert.equal(response.headers.get("content-type"), "application/xml");
        assert.match(
          text,
          /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>nothing here by that name<\/Message><RequestId>[0-9a-f-]{36}<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/,
        );
      },
    },
    unsigned: (url) => new Request(`${url}/bkt/key`),
    missingAuth: ["AccessDenied", 403],
    incompleteSignature: ["AuthorizationHeaderMalformed", 400],
  },
];

/** Reads the error code from a raw answer the way each protocol carries it. */
async function rawErrorCode(response: Response): Promise<string> {
  const header = response.headers.get("x-amzn-errortype");
  if (header) return header.split(":")[0] ?? "";
  const text = await response.text();
  const json = /^\s*\{/.test(text) ? JSON.parse(text) : undefined;
  if (json?.__type) return String(json.__type).split("#").pop() ?? "";
  return /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? "";
}

describe("wire protocols (shared conformance suite)", () => {
  let home: string;
  let server: RunningServer;
  const log: AccessLogEntry[] = [];
  /** What the fake service does for the next call. */
  let behaviour: Operation = async () => ({});
  let received: Record<string, unknown> | undefined;

  const fakeService = (signingName: string, operation: string): AwsService => ({
    signingName,
    operations: {
      [operation]: async (input, ctx) => {
        received = input;
        assert.ok(
          ctx.requestId && ctx.principal,
          "operations get a request id and the caller's access key id",
        );
        return behaviour(input, ctx);
      },
    },
  });

  before(async () => {
    home = await mkdtemp(join(tmpdir(), "idbridge-serve-"));
    const services = Object.fromEntries(
      cases.map((c) => [c.signingName, fakeService(c.signingName, c.operation)]),
    );
    server = await startServer({ cloud: { services }, home, log: (entry) => log.push(entry), amcRoutes: [] });
  });
  after(async () => {
    await server.close();
    await rm(home, { recursive: true, force: true });
  });

  const config = (auth: Auth): SdkConfig => ({
    endpoint: server.url,
    region: "us-east-1",
    credentials: {
      accessKeyId: auth === "unknownKey" ? "AKIAUNKNOWNUNKNOWN00" : server.credentials.accessKeyId,
      secretAccessKey:
        auth === "badSecret" ? "not-the-secret-at-all-not-the-secret-at" : server.credentials.secretAccessKey,
    },
    maxAttempts: 1,
    systemClockOffset: auth === "skewed" ? -20 * 60 * 1000 : 0,
  });

  const rejection = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return error as Error & { $metadata?: { httpStatusCode?: number }; $fault?: string };
    }
    assert.fail("the call should have failed");
  };

  for (const c of cases) {
    describe(c.signingName, () => {
      it("delivers the input with the model's member names and the output as the SDK parses it", async () => {
        received = undefined;
        behaviour = async () => c.output;
        const out = await c.call(config("valid"), server);
        assert.deepEqual(
          Object.fromEntries(Object.keys(c.expectedInput).map((k) => [k, received?.[k]])),
          c.expectedInput,
        );
        c.checkOutput(out);
      });

      it("renders an AwsError with the service's code, status and message", async () => {
        const [code, status, sdkName = code] = c.serviceError;
        behaviour = async () => {
          throw new AwsError(code, "nothing here by that name", status);
        };
        const error = await rejection(c.call(config("valid"), server));
        assert.equal(error.name, sdkName);
        assert.equal(error.$metadata?.httpStatusCode, status);
        if (c.signingName !== "s3" || status !== 404)
          assert.equal(error.message, "nothing here by that name");
      });

      it("writes the error on the wire exactly as the real service does", async () => {
        const [code, status] = c.serviceError;
        behaviour = async () => {
          throw new AwsError(code, "nothing here by that name", status);
        };
        const response = await signedFetch(server, c.signingName, c.raw.request);
        assert.equal(response.status, status);
        c.raw.checkError(response, await response.text());
      });

      it("answers the same in-process through handle(), without a socket", async () => {
        const [code, status] = c.serviceError;
        behaviour = async () => {
          throw new AwsError(code, "nothing here by that name", status);
        };
        const response = await server.handle(await signedRequest(server, c.signingName, c.raw.request));
        assert.equal(response.status, status);
        c.raw.checkError(response, await response.text());
        behaviour = async () => c.output;
        const ok = await server.handle(await signedRequest(server, c.signingName, c.raw.request));
        assert.equal(ok.status, 200);
        assert.ok(ok.headers.get("date"), "answers carry a Date header (SDKs correct clock skew from it)");
      });

      it("answers an unexpected failure with a 500 and no internals", async () => {
        behaviour = async () => {
          throw new TypeError(`secret detail ${PII}`);
        };
        const error = await rejection(c.call(config("valid"), server));
        assert.equal(error.name, c.codes.internal);
        assert.equal(error.$metadata?.httpStatusCode, 500);
        assert.ok(!error.message.includes(PII));
      });

      for (const auth of ["badSecret", "unknownKey", "skewed"] as const) {
        it(`refuses a request with ${auth} credentials as AWS does (${c.codes[auth]})`, async () => {
          received = undefined;
          const error = await rejection(c.call(config(auth), server));
          assert.equal(error.name, c.codes[auth]);
          assert.equal(received, undefined, "the operation must not run");
        });
      }

      it("refuses an unsigned request with the service's missing-authentication error", async () => {
        received = undefined;
        const response = await fetch(c.unsigned(server.url));
        assert.equal(response.status, c.missingAuth[1]);
        assert.equal(await rawErrorCode(response), c.missingAuth[0]);
        assert.equal(received, undefined);
      });

      it("refuses an incomplete Authorization header with the service's own error", async () => {
        received = undefined;
        const unsigned = c.unsigned(server.url);
        const headers = new Headers(unsigned.headers);
        headers.set(
          "authorization",
          `AWS4-HMAC-SHA256 Credential=${server.credentials.accessKeyId}/20260101/us-east-1/${c.signingName}/aws4_request`,
        );
        headers.set("x-amz-date", "20260101T000000Z");
        const response = await fetch(unsigned.url, {
          method: unsigned.method,
          headers,
          body: unsigned.method === "GET" ? undefined : await unsigned.text(),
        });
        assert.equal(response.status, c.incompleteSignature[1]);
        assert.equal(await rawErrorCode(response), c.incompleteSignature[0]);
        assert.equal(received, undefined);
      });

      it("logs one structured line per request without input values", async () => {
        behaviour = async () => c.output;
        log.length = 0;
        await c.call(config("valid"), server);
        assert.equal(log.length, 1);
        const [entry] = log;
        assert.equal(entry?.service, c.signingName);
        assert.equal(entry?.operation, c.operation);
        assert.equal(entry?.status, 200);
        assert.equal(entry?.principal, server.credentials.accessKeyId);
        assert.ok(!JSON.stringify(log).includes("jane"), "no input values in the access log");
      });
    });
  }

  describe("answers", () => {
    let bare: RunningServer;
    let skewedServer: RunningServer;
    before(async () => {
      const services = Object.fromEntries(
        cases.map((c) => [c.signingName, { signingName: c.signingName, operations: {} }]),
      );
      bare = await startServer({ cloud: { services }, home, amcRoutes: [] });
      const working = Object.fromEntries(
        cases.map((c) => [
          c.signingName,
          { signingName: c.signingName, operations: { [c.operation]: async () => c.output } },
        ]),
      );
      skewedServer = await startServer({
        cloud: { services: working },
        home,
        amcRoutes: [],
        clock: () => new Date(Date.now() + 20 * 60 * 1000),
      });
    });
    after(async () => {
      await bare.close();
      await skewedServer.close();
    });

    for (const c of cases) {
      it(`${c.signingName}: an operation the service lacks with ${c.codes.unknownOperation}`, async () => {
        const error = await rejection(c.call({ ...config("valid"), endpoint: bare.url }, bare));
        assert.equal(error.name, c.codes.unknownOperation);
      });

      it(`${c.signingName}: a skewed clock so that the SDK corrects itself from the Date header and retries`, async () => {
        const out = await c.call(
          { ...config("valid"), endpoint: skewedServer.url, maxAttempts: 2 },
          skewedServer,
        );
        c.checkOutput(out);
      });
    }
  });
});

describe("AMC admin API protocol", () => {
  let home: string;
  let server: RunningServer;
  let received: Record<string, unknown> | undefined;
  let fail: AwsError | undefined;
  const routes = [
    {
      method: "POST" as const,
      path: "/amc/instances/{instanceId}/collaboration/idmappingtables",
      operation: "CreateTable",
    },
    {
      method: "GET" as const,
      path: "/amc/instances/{instanceId}/collaboration/idmappingtables/{idMappingTableId}/jobs/{jobId}",
      operation: "GetJob",
    },
  ];
  const headers = (token: string, extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    "amazon-advertising-api-clientid": "amzn1.application-oa2-client.local",
    "amazon-advertising-api-advertiserid": "ENTITY123",
    "amazon-advertising-api-marketplaceid": "ATVPDKIKX0DER",
    "content-type": "application/vnd.amcinstances.v1+json",
    accept: "application/vnd.amcinstances.v1+json",
    ...extra,
  });

  before(async () => {
    home = await mkdtemp(join(tmpdir(), "idbridge-serve-amc-"));
    const operation: Operation = async (input) => {
      received = input;
      if (fail) throw fail;
      return { idMappingTable: { id: "t1", createTime: WHEN }, trackingId: "trk" };
    };
    server = await startServer({
      cloud: {
        services: {},
        amc: { signingName: "amc", operations: { CreateTable: operation, GetJob: operation } },
      },
      home,
      amcRoutes: routes,
    });
  });
  after(async () => {
    await server.close();
    await rm(home, { recursive: true, force: true });
  });

  it("binds path parameters and the JSON body, and answers in AMC's media type", async () => {
    fail = undefined;
    const response = await fetch(`${server.url}/amc/instances/amc123/collaboration/idmappingtables`, {
      method: "POST",
      headers: headers(server.amcToken),
      body: JSON.stringify({ idMappingTableName: "crm", sourceIdNamespaceArn: "arn:x" }),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/vnd.amcinstances.v1+json");
    assert.deepEqual(await response.json(), {
      idMappingTable: { id: "t1", createTime: WHEN.toISOString() },
      trackingId: "trk",
    });
    assert.deepEqual(received, {
      idMappingTableName: "crm",
      sourceIdNamespaceArn: "arn:x",
      instanceId: "amc123",
    });
  });

  it("renders service errors as {code, details} with the status", async () => {
    fail = new AwsError("ServiceQuotaExceededException", "An instance can have up to 5 mapping tables.", 402);
    const response = await fetch(
      `${server.url}/amc/instances/amc123/collaboration/idmappingtables/t1/jobs/j1`,
      {
        headers: headers(server.amcToken),
      },
    );
    assert.equal(response.status, 402);
    assert.deepEqual(await response.json(), {
      code: "ServiceQuotaExceededException",
      details: "An instance can have up to 5 mapping tables.",
    });
    assert.deepEqual(received, { instanceId: "amc123", idMappingTableId: "t1", jobId: "j1" });
  });

  it("refuses a missing or wrong bearer token and missing Amazon-Advertising-API headers", async () => {
    received = undefined;
    const path = `${server.url}/amc/instances/amc123/collaboration/idmappingtables/t1/jobs/j1`;
    const { authorization: _, ...unauthenticated } = headers(server.amcToken);
    for (const init of [
      { headers: unauthenticated },
      { headers: headers("Atza|not-the-token-at-all-nope") },
    ]) {
      const response = await fetch(path, init);
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { code: string }).code, "UNAUTHORIZED");
    }
    const response = await fetch(path, {
      headers: headers(server.amcToken, { "amazon-advertising-api-advertiserid": "" }),
    });
    assert.equal(response.status, 400);
    assert.match(
      ((await response.json()) as { details: string }).details,
      /Amazon-Advertising-API-AdvertiserId/,
    );
    assert.equal(received, undefined);
  });

  it("answers an unknown path with 404 in AMC's error shape", async () => {
    const response = await fetch(`${server.url}/amc/instances/amc123/nothing`, {
      headers: headers(server.amcToken),
    });
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { code: string }).code, "NOT_FOUND");
  });
});
