/**
 * A second real client: the AWS CLI (v1, botocore) drives the seed route against a running
 * `idbridge serve` — bucket + upload, Glue database/tables, IAM role, ER schema mappings and ID
 * namespaces, the Clean Rooms associations, an ID mapping table populated by an ER job, and a
 * resource through Cloud Control — with only the variables `idbridge env` prints. Every output the
 * CLI prints is judged against botocore's model, like the SDK calls in the other serve tests.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { errorProblems, outputProblems } from "./conformance.ts";

const run = promisify(execFile);
const cli = new URL("../../bin/idbridge.mjs", import.meta.url).pathname;
const awsMissing = spawnSync("aws", ["--version"], { encoding: "utf8" }).status !== 0;
const SKIP = awsMissing
  ? "the AWS CLI (`aws`) is not on PATH — install it (e.g. `pip install awscli`) to run this test"
  : false;

const SIGNING_NAMES: Record<string, string> = { s3api: "s3", cloudcontrol: "cloudcontrolapi" };
const operationOf = (command: string) =>
  command.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, letter: string) => letter.toUpperCase());
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

describe("the seed route with the AWS CLI against idbridge serve", { skip: SKIP }, () => {
  const prefix = `cli-${process.pid}`;
  let home: string;
  let serve: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), "idbridge-aws-cli-"));
    serve = spawn(process.execPath, [cli, "serve", "--port", "0", "--home", home, "--json"], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, IDBRIDGE_AMC_GRAPH_PEOPLE: "300" },
    });
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: serve?.stdout as NodeJS.ReadableStream });
      lines.once("line", () => {
        lines.close();
        resolve();
      });
      serve?.once("exit", (code) => reject(new Error(`idbridge serve exited early with ${code}`)));
    });
    const printed = await run(process.execPath, [cli, "env", "--home", home, "--json"]);
    env = {
      PATH: process.env.PATH,
      // No user profile, config or credentials file may leak into the run.
      HOME: home,
      AWS_CONFIG_FILE: join(home, "no-aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(home, "no-aws-credentials"),
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_PAGER: "",
      ...(JSON.parse(printed.stdout) as Record<string, string>),
    };
  });
  after(async () => {
    if (serve && serve.exitCode === null) {
      const exited = new Promise((resolve) => serve?.once("exit", resolve));
      serve.kill("SIGTERM");
      await exited;
    }
    await rm(home, { recursive: true, force: true });
  });

  /** Runs `aws <service> <command> …` and returns its JSON output, judged against the operation's output shape. */
  // biome-ignore lint/suspicious/noExplicitAny: each step reads the members of its own output.
  async function aws(service: string, command: string, ...args: string[]): Promise<Record<string, any>> {
    let stdout: string;
    try {
      ({ stdout } = await run("aws", [service, command, ...args, "--output", "json"], { env }));
    } catch (error) {
      const failed = error as Error & { stderr?: string };
      assert.fail(`aws ${service} ${command} failed: ${failed.stderr ?? failed.message}`);
    }
    const output = stdout.trim() ? JSON.parse(stdout) : {};
    const problems = outputProblems(SIGNING_NAMES[service] ?? service, operationOf(command), output, "cli");
    assert.deepEqual(problems, [], `aws ${service} ${command}: the output differs from AWS's model`);
    return output;
  }
  const json = (value: unknown) => JSON.stringify(value);

  const bucket = `${prefix}-input`;
  const database = `${prefix.replace(/-/g, "_")}_db`;
  const roleArn = `arn:aws:iam::000000000000:role/${prefix}-er`;
  const tableArn = (table: string) => `arn:aws:glue:us-east-1:000000000000:table/${database}/${table}`;

  it("brings the route up, populates an ID mapping table and reads a resource through Cloud Control", async () => {
    // S3: the bucket and the prepared files (the CRM and the TARGET side's graph).
    await aws("s3api", "create-bucket", "--bucket", bucket);
    const crm = join(home, "crm.csv");
    const graph = join(home, "graph.csv");
    await writeFile(
      crm,
      `customer_id,email\n1,${sha("a@x.com")}\n2,${sha("b@x.com")}\n3,${sha("c@x.com")}\n`,
    );
    await writeFile(graph, `amazon_id,email\namzn1,${sha("a@x.com")}\namzn2,${sha("b@x.com")}\n`);
    const put = await aws(
      "s3api",
      "put-object",
      "--bucket",
      bucket,
      "--key",
      "crm/part-0.csv",
      "--body",
      crm,
    );
    assert.match(put.ETag, /^"[0-9a-f]{32}"$/);
    await aws("s3api", "put-object", "--bucket", bucket, "--key", "graph/part-0.csv", "--body", graph);
    const listed = await aws("s3api", "list-objects-v2", "--bucket", bucket);
    assert.deepEqual(
      listed.Contents.map((object: { Key: string }) => object.Key),
      ["crm/part-0.csv", "graph/part-0.csv"],
    );

    // Glue: the database and a table over each folder.
    await aws("glue", "create-database", "--database-input", json({ Name: database }));
    for (const [table, id] of [
      ["crm", "customer_id"],
      ["graph", "amazon_id"],
    ] as const) {
      await aws(
        "glue",
        "create-table",
        "--database-name",
        database,
        "--table-input",
        json({
          Name: table,
          TableType: "EXTERNAL_TABLE",
          Parameters: { classification: "csv", "skip.header.line.count": "1" },
          StorageDescriptor: {
            Location: `s3://${bucket}/${table}/`,
            Columns: [
              { Name: id, Type: "string" },
              { Name: "email", Type: "string" },
            ],
          },
        }),
      );
    }
    const table = await aws("glue", "get-table", "--database-name", database, "--name", "crm");
    assert.equal(table.Table.StorageDescriptor.Location, `s3://${bucket}/crm/`);

    // IAM: the role ER passes, trusting entityresolution.amazonaws.com, reading S3 and Glue.
    const role = await aws(
      "iam",
      "create-role",
      "--role-name",
      `${prefix}-er`,
      "--assume-role-policy-document",
      json({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "entityresolution.amazonaws.com" },
            Action: "sts:AssumeRole",
          },
        ],
      }),
    );
    assert.equal(role.Role.Arn, roleArn);
    await aws(
      "iam",
      "put-role-policy",
      "--role-name",
      `${prefix}-er`,
      "--policy-name",
      "read-input",
      "--policy-document",
      json({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject"],
            Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          },
          {
            Effect: "Allow",
            Action: ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
            Resource: [
              "arn:aws:glue:us-east-1:000000000000:catalog",
              `arn:aws:glue:us-east-1:000000000000:database/${database}`,
              tableArn("crm"),
              tableArn("graph"),
            ],
          },
        ],
      }),
    );

    // Entity Resolution: a schema mapping per table, the SOURCE namespace (the seed's) and a TARGET one.
    for (const [name, id] of [
      ["crm", "customer_id"],
      ["graph", "amazon_id"],
    ] as const) {
      await aws(
        "entityresolution",
        "create-schema-mapping",
        "--schema-name",
        `${prefix}-${name}`,
        "--mapped-input-fields",
        json([
          { fieldName: id, type: "UNIQUE_ID" },
          { fieldName: "email", type: "EMAIL_ADDRESS", matchKey: "Email", hashed: true },
        ]),
      );
    }
    const source = await aws(
      "entityresolution",
      "create-id-namespace",
      "--id-namespace-name",
      `${prefix}-source`,
      "--type",
      "SOURCE",
      "--role-arn",
      roleArn,
      "--input-source-config",
      json([{ inputSourceARN: tableArn("crm"), schemaName: `${prefix}-crm` }]),
      "--id-mapping-workflow-properties",
      json([{ idMappingType: "RULE_BASED", ruleBasedProperties: { ruleDefinitionTypes: ["TARGET"] } }]),
    );
    const target = await aws(
      "entityresolution",
      "create-id-namespace",
      "--id-namespace-name",
      `${prefix}-target`,
      "--type",
      "TARGET",
      "--role-arn",
      roleArn,
      "--input-source-config",
      json([{ inputSourceARN: tableArn("graph"), schemaName: `${prefix}-graph` }]),
      "--id-mapping-workflow-properties",
      json([
        {
          idMappingType: "RULE_BASED",
          ruleBasedProperties: {
            rules: [{ ruleName: "email", matchingKeys: ["Email"] }],
            ruleDefinitionTypes: ["TARGET"],
            attributeMatchingModel: "ONE_TO_ONE",
            recordMatchingModels: ["ONE_SOURCE_TO_ONE_TARGET"],
          },
        },
      ]),
    );
    const namespace = await aws(
      "entityresolution",
      "get-id-namespace",
      "--id-namespace-name",
      `${prefix}-source`,
    );
    assert.equal(namespace.type, "SOURCE");
    const workflow = await aws(
      "entityresolution",
      "create-id-mapping-workflow",
      "--workflow-name",
      `${prefix}-wf`,
      "--role-arn",
      roleArn,
      "--input-source-config",
      json([
        { inputSourceARN: source.idNamespaceArn, type: "SOURCE" },
        { inputSourceARN: target.idNamespaceArn, type: "TARGET" },
      ]),
      "--output-source-config",
      json([{ outputS3Path: `s3://${bucket}/out/` }]),
      "--id-mapping-techniques",
      json({
        idMappingType: "RULE_BASED",
        ruleBasedProperties: {
          ruleDefinitionType: "TARGET",
          attributeMatchingModel: "ONE_TO_ONE",
          recordMatchingModel: "ONE_SOURCE_TO_ONE_TARGET",
        },
      }),
    );

    // Clean Rooms: a collaboration and membership, both namespaces associated, an ID mapping table.
    const { collaboration } = await aws(
      "cleanrooms",
      "create-collaboration",
      "--name",
      `${prefix}-collab`,
      "--description",
      "aws cli test",
      "--members",
      "[]",
      "--creator-member-abilities",
      "CAN_QUERY",
      "CAN_RECEIVE_RESULTS",
      "--creator-display-name",
      "advertiser",
      "--query-log-status",
      "DISABLED",
    );
    const { membership } = await aws(
      "cleanrooms",
      "create-membership",
      "--collaboration-identifier",
      collaboration.id,
      "--query-log-status",
      "DISABLED",
    );
    for (const [name, arn] of [
      ["source", source.idNamespaceArn],
      ["target", target.idNamespaceArn],
    ]) {
      const { idNamespaceAssociation } = await aws(
        "cleanrooms",
        "create-id-namespace-association",
        "--membership-identifier",
        membership.id,
        "--name",
        `${prefix}-${name}`,
        "--input-reference-config",
        json({ inputReferenceArn: arn, manageResourcePolicies: true }),
      );
      assert.equal(idNamespaceAssociation.inputReferenceProperties.idNamespaceType, name.toUpperCase());
    }
    const { idMappingTable } = await aws(
      "cleanrooms",
      "create-id-mapping-table",
      "--membership-identifier",
      membership.id,
      "--name",
      `${prefix}-table`,
      "--input-reference-config",
      json({ inputReferenceArn: workflow.workflowArn, manageResourcePolicies: true }),
    );
    const populated = await aws(
      "cleanrooms",
      "populate-id-mapping-table",
      "--membership-identifier",
      membership.id,
      "--id-mapping-table-identifier",
      idMappingTable.id,
    );
    // A UUID in Clean Rooms' model; the ER job behind it has the same 32 hex digits (ER's JobId).
    const jobId = String(populated.idMappingJobId).replace(/-/g, "");
    let job: Record<string, unknown> = {};
    for (let i = 0; i < 200 && job.status !== "SUCCEEDED" && job.status !== "FAILED"; i++) {
      job = await aws(
        "entityresolution",
        "get-id-mapping-job",
        "--workflow-name",
        `${prefix}-wf`,
        "--job-id",
        jobId,
      );
    }
    assert.equal(job.status, "SUCCEEDED", json(job.errorDetails));
    assert.equal((job.metrics as { totalMappedSourceRecords: number }).totalMappedSourceRecords, 2);

    // Cloud Control: a schema mapping created, polled and read back as a CloudFormation resource.
    const desired = {
      SchemaName: `${prefix}-cc`,
      Description: "through Cloud Control",
      MappedInputFields: [
        { FieldName: "customer_id", Type: "UNIQUE_ID" },
        { FieldName: "email", Type: "EMAIL_ADDRESS", MatchKey: "Email", Hashed: true },
      ],
    };
    let event = (
      await aws(
        "cloudcontrol",
        "create-resource",
        "--type-name",
        "AWS::EntityResolution::SchemaMapping",
        "--desired-state",
        json(desired),
      )
    ).ProgressEvent;
    for (let i = 0; i < 100 && ["PENDING", "IN_PROGRESS"].includes(event.OperationStatus); i++) {
      event = (
        await aws("cloudcontrol", "get-resource-request-status", "--request-token", event.RequestToken)
      ).ProgressEvent;
    }
    assert.equal(event.OperationStatus, "SUCCESS", event.StatusMessage);
    const read = await aws(
      "cloudcontrol",
      "get-resource",
      "--type-name",
      "AWS::EntityResolution::SchemaMapping",
      "--identifier",
      `${prefix}-cc`,
    );
    assert.equal(JSON.parse(read.ResourceDescription.Properties).Description, "through Cloud Control");
    const viaEr = await aws("entityresolution", "get-schema-mapping", "--schema-name", `${prefix}-cc`);
    assert.equal(viaEr.description, "through Cloud Control");
  });

  it("gets Cloud Control's ResourceNotFoundException with the model's HTTP status", async () => {
    const failed = await run(
      "aws",
      [
        "cloudcontrol",
        "get-resource",
        "--type-name",
        "AWS::S3::Bucket",
        "--identifier",
        `${prefix}-none`,
        "--debug",
      ],
      { env },
    ).then(
      () => assert.fail("get-resource of a missing bucket should fail"),
      (error: Error & { stderr: string; code: number }) => error,
    );
    assert.notEqual(failed.code, 0);
    const code = /An error occurred \((\w+)\) when calling the GetResource operation/.exec(
      failed.stderr,
    )?.[1];
    assert.equal(code, "ResourceNotFoundException");
    // botocore's --debug log carries the status line urllib3 received.
    const status = Number(/"POST \/ HTTP\/1\.1" (\d{3})/.exec(failed.stderr)?.[1]);
    assert.deepEqual(errorProblems("cloudcontrolapi", "GetResource", code, status), []);
  });
});
