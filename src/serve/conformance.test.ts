/**
 * The response checker itself: it must find each kind of difference from AWS's model — on crafted
 * values, and through an official SDK client talking to a server whose fake service answers wrong.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CloudControlClient, GetResourceCommand } from "@aws-sdk/client-cloudcontrol";
import { EntityResolutionClient, GetSchemaMappingCommand } from "@aws-sdk/client-entityresolution";
import { AwsError } from "../cloud/aws-error.ts";
import type { Operation } from "../cloud/service.ts";
import { conforming, outputProblems, responseModel, responseProblems, shapeProblems } from "./conformance.ts";
import { type RunningServer, startServer } from "./index.ts";

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers,
  body: Buffer.from(JSON.stringify(body)),
});

describe("shapeProblems judges a value by the botocore shape", () => {
  const er = responseModel("entityresolution");
  const mapping = {
    schemaName: "crm",
    schemaArn: "arn:aws:entityresolution:us-east-1:000000000000:schemamapping/crm",
    mappedInputFields: [
      { fieldName: "id", type: "UNIQUE_ID" },
      { fieldName: "email", type: "EMAIL_ADDRESS", matchKey: "Email" },
    ],
    createdAt: 1767322800,
    updatedAt: 1767322800,
    hasWorkflows: false,
  };

  it("accepts a conforming GetSchemaMapping output", () => {
    assert.deepEqual(shapeProblems(er, "GetSchemaMappingOutput", mapping, "out", "wire"), []);
  });

  it("names a missing required member, a wrong type, an unknown member, an enum and a pattern", () => {
    const { schemaName: _omitted, ...rest } = mapping;
    const problems = shapeProblems(
      er,
      "GetSchemaMappingOutput",
      {
        ...rest,
        hasWorkflows: "no",
        extra: 1,
        mappedInputFields: [{ fieldName: "id", type: "IPV9" }, mapping.mappedInputFields[1]],
      },
      "out",
      "wire",
    );
    assert.deepEqual(
      problems.map((problem) => problem.split(":")[0]),
      ["out.schemaName", "out.mappedInputFields[0].type", "out.hasWorkflows", "out.extra"],
    );
    assert.match(problems[1] ?? "", /not one of the model's SchemaAttributeType values/);
    assert.deepEqual(
      shapeProblems(
        er,
        "GetSchemaMappingOutput",
        { ...mapping, schemaArn: "arn:aws:s3:::b" },
        "out",
        "wire",
      ).map((problem) => problem.split(":")[0]),
      ["out.schemaArn"],
    );
  });

  it("checks list lengths and timestamps in each form", () => {
    const tooMany = Array.from({ length: 36 }, (_, i) => ({ fieldName: `f${i}`, type: "STRING" }));
    assert.match(
      shapeProblems(
        er,
        "GetSchemaMappingOutput",
        { ...mapping, mappedInputFields: tooMany },
        "out",
        "wire",
      )[0] ?? "",
      /36 items, the model's maximum is 35/,
    );
    assert.match(
      shapeProblems(
        er,
        "GetSchemaMappingOutput",
        { ...mapping, createdAt: "2026-01-02" },
        "out",
        "wire",
      )[0] ?? "",
      /epoch seconds/,
    );
    const sdk = { ...mapping, createdAt: new Date(), updatedAt: new Date() };
    assert.deepEqual(shapeProblems(er, "GetSchemaMappingOutput", sdk, "out", "sdk"), []);
    assert.deepEqual(
      outputProblems(
        "entityresolution",
        "GetSchemaMapping",
        { ...mapping, createdAt: "2026-01-02T03:04:05Z" },
        "cli",
      ),
      [],
    );
  });
});

describe("responseProblems judges an error's code and HTTP status", () => {
  it("takes the status from the model's error trait, or the protocol's default of 400", () => {
    const cc = json(404, { __type: "com.amazon.cloudapiservice#ResourceNotFoundException", Message: "m" });
    assert.deepEqual(responseProblems("cloudcontrolapi", "GetResource", cc), [
      "cloudcontrolapi GetResource: error ResourceNotFoundException (ResourceNotFoundException) answered HTTP 404, the model says 400",
    ]);
    assert.deepEqual(responseProblems("cloudcontrolapi", "GetResource", { ...cc, status: 400 }), []);
    const er = json(409, { message: "m" }, { "x-amzn-errortype": "ConflictException:http://internal" });
    assert.match(
      responseProblems("entityresolution", "CreateSchemaMapping", er)[0] ?? "",
      /the model says 400/,
    );
    const cr = json(409, { message: "m" }, { "x-amzn-errortype": "ConflictException" });
    assert.deepEqual(responseProblems("cleanrooms", "CreateIdMappingTable", cr), []);
  });

  it("maps a query-protocol code to its shape and refuses codes the model does not have", () => {
    const iam = {
      status: 404,
      headers: {},
      body: Buffer.from("<ErrorResponse><Error><Code>NoSuchEntity</Code></Error></ErrorResponse>"),
    };
    assert.deepEqual(responseProblems("iam", "GetRole", iam), []);
    assert.match(
      responseProblems("iam", "GetRole", { ...iam, status: 400 })[0] ?? "",
      /NoSuchEntityException/,
    );
    assert.match(
      responseProblems("glue", "GetTable", json(400, { __type: "NoSuchThingException" }))[0] ?? "",
      /not an error of botocore/,
    );
  });

  it("checks the success status and the JSON body against the output shape", () => {
    assert.deepEqual(
      responseProblems(
        "cleanrooms",
        "PopulateIdMappingTable",
        json(200, { idMappingJobId: "0".repeat(32) }),
      ).map((problem) => problem.split(":")[0]),
      ["PopulateIdMappingTable.idMappingJobId", "PopulateIdMappingTable.idMappingJobId"],
    );
    assert.match(
      responseProblems("cloudcontrolapi", "ListResources", json(201, {}))[0] ?? "",
      /answered HTTP 201, the model says 200/,
    );
  });
});

describe("conforming() makes an SDK call fail on an answer that differs from the model", () => {
  let home: string;
  let server: RunningServer;
  let answer: Operation = async () => ({});
  const operation: Operation = (input, ctx) => answer(input, ctx);

  before(async () => {
    home = await mkdtemp(join(tmpdir(), "idbridge-conformance-"));
    server = await startServer({
      cloud: {
        services: {
          cloudcontrolapi: { signingName: "cloudcontrolapi", operations: { GetResource: operation } },
          entityresolution: { signingName: "entityresolution", operations: { GetSchemaMapping: operation } },
        },
      },
      home,
      amcRoutes: [],
    });
  });
  after(async () => {
    await server.close();
    await rm(home, { recursive: true, force: true });
  });
  const config = () => ({
    endpoint: server.url,
    region: "us-east-1",
    credentials: server.credentials,
    maxAttempts: 1,
  });

  it("passes a conforming answer and a modelled error with the model's status", async () => {
    answer = async () => ({ TypeName: "AWS::S3::Bucket", ResourceDescription: { Identifier: "b" } });
    const client = conforming(new CloudControlClient(config()));
    const out = await client.send(new GetResourceCommand({ TypeName: "AWS::S3::Bucket", Identifier: "b" }));
    assert.equal(out.ResourceDescription?.Identifier, "b");
    answer = async () => {
      throw new AwsError("ResourceNotFoundException", "gone", 400);
    };
    await assert.rejects(
      client.send(new GetResourceCommand({ TypeName: "AWS::S3::Bucket", Identifier: "b" })),
      {
        name: "ResourceNotFoundException",
      },
    );
  });

  it("fails a call whose error status or output differs, saying how", async () => {
    answer = async () => {
      throw new AwsError("ResourceNotFoundException", "gone", 404);
    };
    const client = conforming(new CloudControlClient(config()));
    await assert.rejects(
      client.send(new GetResourceCommand({ TypeName: "AWS::S3::Bucket", Identifier: "b" })),
      (error: Error) =>
        error instanceof assert.AssertionError && /answered HTTP 404, the model says 400/.test(error.message),
    );
    answer = async () => ({
      schemaName: "crm",
      mappedInputFields: [],
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await assert.rejects(
      conforming(new EntityResolutionClient(config())).send(
        new GetSchemaMappingCommand({ schemaName: "crm" }),
      ),
      (error: Error) =>
        error instanceof assert.AssertionError &&
        /GetSchemaMapping\.schemaArn: missing/.test(error.message) &&
        /GetSchemaMapping\.hasWorkflows: missing/.test(error.message) &&
        /mappedInputFields: 0 items, the model's minimum is 2/.test(error.message),
    );
  });
});
