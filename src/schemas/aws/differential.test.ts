import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Ajv } from "ajv";
import { LocalCloud } from "../../cloud/index.ts";
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type Operation, type RequestContext } from "../../cloud/service.ts";
import type { Snapshot } from "./codegen.ts";
import { type CorpusDocument, corpusFor } from "./corpus.ts";

/**
 * The differential test: documents generated from AWS's resource schemas (./corpus.ts) are judged by
 * a real JSON Schema validator (ajv, against AWS's schema as it is) and by the local cloud's Cloud
 * Control CreateResource; both must accept or reject every document alike.
 *
 * Only the validation stage is compared. A valid document names resources that do not exist (a
 * MembershipIdentifier, a role ARN, a Glue table), and the local cloud checks those after validation
 * the way AWS does — in the service call — so a valid document may still end FAILED with NotFound,
 * AlreadyExists or the service's own ValidationException. "Rejected" therefore means: the request
 * ended FAILED with InvalidRequest and the Cloud Control engine's "Model validation failed (…)"
 * message, which it gives before any provider runs.
 *
 * ajv runs as CloudFormation's schemas need: draft-07, strict: false (the provider schema keywords
 * such as createOnlyProperties and insertionOrder are not JSON Schema's), formats not validated
 * (AWS's are its own names, e.g. "AWS::IAM::Role.Arn", and CloudFormation does not enforce them).
 */

const snapshot = JSON.parse(readFileSync(new URL("./cfn-schemas.json", import.meta.url), "utf8")) as Snapshot;
const ctx: RequestContext = { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, requestId: "differential" };
const ajv = new Ajv({ strict: false, validateFormats: false, validateSchema: false, allErrors: false });

type Ops = Readonly<Record<string, Operation>>;
let home: string;
let cloud: LocalCloud;
let cc: Ops;

before(async () => {
  home = mkdtempSync(join(tmpdir(), "idbridge-differential-"));
  cloud = await LocalCloud.open({ home });
  cc = cloud.services.cloudcontrolapi!.operations;
});
after(async () => {
  await cloud.close();
  rmSync(home, { recursive: true, force: true });
});

interface Verdict {
  accepted: boolean;
  message?: string;
}

async function throughCloudControl(typeName: string, documents: CorpusDocument[]): Promise<Verdict[]> {
  const tokens: string[] = [];
  for (const { document } of documents) {
    const { ProgressEvent } = await cc.CreateResource!(
      { TypeName: typeName, DesiredState: JSON.stringify(document) },
      ctx,
    );
    tokens.push(ProgressEvent.RequestToken);
  }
  const verdicts: Verdict[] = [];
  for (const token of tokens) {
    for (;;) {
      const { ProgressEvent: event } = await cc.GetResourceRequestStatus!({ RequestToken: token }, ctx);
      if (["PENDING", "IN_PROGRESS"].includes(event.OperationStatus)) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      const rejected =
        event.OperationStatus === "FAILED" &&
        event.ErrorCode === "InvalidRequest" &&
        String(event.StatusMessage).startsWith("Model validation failed (");
      verdicts.push({ accepted: !rejected, message: event.StatusMessage });
      break;
    }
  }
  return verdicts;
}

const totals = { documents: 0, agree: 0, valid: 0, invalid: 0 };

describe("AWS's schema (ajv) and the local cloud's Cloud Control agree on every generated document", () => {
  for (const [typeName, schema] of Object.entries(snapshot.schemas)) {
    test(typeName, async () => {
      const { $schema: _, ...withoutMeta } = schema;
      const validate = ajv.compile(withoutMeta);
      const corpus = corpusFor(schema);
      const verdicts = await throughCloudControl(typeName, corpus);
      const disagreements: string[] = [];
      const misjudged: string[] = [];
      for (const [i, doc] of corpus.entries()) {
        const aws = validate(doc.document);
        const local = verdicts[i]!;
        totals.documents++;
        totals[aws ? "valid" : "invalid"]++;
        if (aws === local.accepted) totals.agree++;
        else
          disagreements.push(
            `${doc.name}: AWS's schema ${aws ? "accepts" : `rejects (${ajv.errorsText(validate.errors)})`}, the local cloud ${local.accepted ? "accepts" : `rejects (${local.message})`}`,
          );
        // The generator's own intent, checked so that the corpus keeps testing what it says it does.
        if ((doc.intent === "valid") !== aws)
          misjudged.push(`${doc.name}: ${ajv.errorsText(validate.errors)}`);
      }
      assert.deepEqual(disagreements, [], `${typeName}: ${disagreements.length} of ${corpus.length} differ`);
      assert.deepEqual(
        misjudged,
        [],
        `${typeName}: generated documents whose intent AWS's schema does not share`,
      );
      assert.ok(corpus.filter((d) => d.intent === "invalid").length > 5, "invalid documents were generated");
    });
  }

  test("the corpus covered every type", () => {
    assert.equal(totals.documents, totals.agree);
    console.log(
      `differential corpus: ${totals.documents} documents (${totals.valid} valid, ${totals.invalid} invalid), ${totals.agree} agree`,
    );
  });
});
