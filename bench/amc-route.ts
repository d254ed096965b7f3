// The AMC route on the local cloud: LocalCloud.open with the built-in AMC collaboration (fresh and
// reopened), then AMC CreateIdMappingTable on a 5,000-row raw CRM against the default 20,000-person
// Amazon graph (generated on first use) until the ER job SUCCEEDS, and a second table once the graph exists.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAmc, LOCAL_AMC } from "../src/cloud/amc/index.ts";
import { createEntityResolution } from "../src/cloud/entity-resolution/index.ts";
import { LocalCloud } from "../src/cloud/index.ts";
import { createNamespaces, ctx, openFixture } from "../test/support/entity-resolution-fixture.ts";

const seconds = (ms: number) => (ms / 1000).toFixed(2);

export async function run(): Promise<string> {
  const people = 20_000;
  const crm = 5_000;
  let t0 = performance.now();
  const fixture = await openFixture({ people, crm, seed: 42 });
  const setupMs = performance.now() - t0;
  try {
    t0 = performance.now();
    await fixture.reopen();
    const reopenMs = performance.now() - t0;
    const amc = (await createAmc(fixture.cloud.deps, { people, seed: 42 })).service.operations;
    const cr = fixture.cloud.services.cleanrooms!.operations;
    const instanceId = LOCAL_AMC.instanceId;
    const customer = (await amc.getCollaboration!({ instanceId }, ctx))["customer"].membershipId as string;
    const table = async (suffix: string) => {
      const { sourceArn } = await createNamespaces(fixture.cloud, suffix);
      await cr.CreateIdNamespaceAssociation!(
        {
          membershipIdentifier: customer,
          name: suffix,
          inputReferenceConfig: { inputReferenceArn: sourceArn, manageResourcePolicies: true },
        },
        ctx,
      );
      const started = performance.now();
      const created = await amc.createCollaborationIdMappingTable!(
        { instanceId, idMappingTableName: `bench${suffix}`, sourceIdNamespaceArn: sourceArn },
        ctx,
      );
      const answeredMs = performance.now() - started;
      await (await createEntityResolution(fixture.cloud.deps)).internals.idle();
      const job = await amc.getCollaborationIdMappingJob!(
        {
          instanceId,
          idMappingTableId: created["idMappingTable"].id,
          jobId: created["idMappingWorkflowJobId"],
        },
        ctx,
      );
      if (job["status"] !== "SUCCEEDED")
        throw new Error(`bench job ${job["status"]}: ${job["errorDetails"]?.errorMessage}`);
      return { answeredMs, totalMs: performance.now() - started, metrics: job["metrics"] };
    };
    const first = await table("-first");
    const second = await table("-second");
    const fresh = await (async () => {
      const home = mkdtempSync(join(tmpdir(), "idbridge-bench-amc-"));
      try {
        const s = performance.now();
        const cloud = await LocalCloud.open({ home });
        const ms = performance.now() - s;
        await cloud.close();
        return ms;
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    })();
    return [
      "## AMC route on the local cloud (bench/amc-route.ts)",
      "",
      `Raw CRM of ${crm.toLocaleString("en-US")} rows (synth, seed 42) against the built-in ${people.toLocaleString("en-US")}-person Amazon graph; AMC API calls in-process.`,
      "",
      "| step | time |",
      "|---|---|",
      `| LocalCloud.open on a fresh home (creates the AMC collaboration, memberships, TARGET namespace) | ${seconds(fresh)} s |`,
      `| reopen of a home holding the route | ${seconds(reopenMs)} s |`,
      `| fixture: synth + S3 + Glue + IAM setup | ${seconds(setupMs)} s |`,
      `| AMC create table, first (answer includes generating the graph) | ${seconds(first.answeredMs)} s |`,
      `| … until its ER job SUCCEEDED | ${seconds(first.totalMs)} s |`,
      `| AMC create table, second (graph exists) until SUCCEEDED | ${seconds(second.totalMs)} s |`,
      "",
      `Job metrics: ${Object.entries(first.metrics as Record<string, number>)
        .map(([k, v]) => `${k} ${v.toLocaleString("en-US")}`)
        .join(", ")}.`,
      "",
    ].join("\n");
  } finally {
    await fixture.cleanup();
  }
}
