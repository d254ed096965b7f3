// Local cloud store and in-process Cloud Control: commit throughput (one fsync per transaction vs
// group commit), reopen time, and GetResource reads while writes run. Bounded to a few seconds.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalCloud } from "../src/cloud/index.ts";
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from "../src/cloud/service.ts";
import { openStore } from "../src/cloud/store/index.ts";

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString("en-US");

export async function run(): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), "idbridge-bench-store-"));
  try {
    const record = (i: number) => ({
      name: `resource-${i}`,
      arn: `arn:aws:s3:::resource-${i}`,
      tags: [{ Key: "i", Value: String(i) }],
    });
    let store = await openStore(home, { compactBytes: Number.MAX_SAFE_INTEGER });
    const sequential = 500;
    let t0 = performance.now();
    for (let i = 0; i < sequential; i++) await store.transact((tx) => tx.put("bench", `s${i}`, record(i)));
    const sequentialMs = performance.now() - t0;

    const concurrent = 20_000;
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrent }, (_, i) =>
        store.transact((tx) => tx.put("bench", `c${i}`, record(i))),
      ),
    );
    const concurrentMs = performance.now() - t0;
    await (store as unknown as { unlock(): Promise<void> }).unlock();

    t0 = performance.now();
    store = await openStore(home);
    const replayMs = performance.now() - t0;
    const records = store.list("bench").length;
    await store.close();
    t0 = performance.now();
    store = await openStore(home);
    const snapshotMs = performance.now() - t0;
    await store.close();

    const cloudHome = join(home, "cloud");
    const cloud = await LocalCloud.open({ home: cloudHome });
    const cc = cloud.services.cloudcontrolapi!.operations;
    const ctx = { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, requestId: "bench" };
    for (let i = 0; i < 50; i++) {
      await cc.CreateResource!(
        { TypeName: "AWS::S3::Bucket", DesiredState: JSON.stringify({ BucketName: `bench-${i}` }) },
        ctx,
      );
    }
    await cloud.idle();
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      while (writing) {
        await cc.CreateResource!(
          { TypeName: "AWS::S3::Bucket", DesiredState: JSON.stringify({ BucketName: `w-${writes++}` }) },
          ctx,
        );
      }
    })();
    const latencies: number[] = [];
    t0 = performance.now();
    let reads = 0;
    for (let i = 0; performance.now() - t0 < 2000; i++, reads++) {
      // In-process reads resolve as microtasks; yield now and then so the writer's I/O gets turns.
      if (i % 50 === 0) await new Promise((r) => setImmediate(r));
      const start = performance.now();
      await cc.GetResource!({ TypeName: "AWS::S3::Bucket", Identifier: `bench-${i % 50}` }, ctx);
      latencies.push(performance.now() - start);
    }
    const readMs = performance.now() - t0;
    writing = false;
    await writer;
    await cloud.idle();
    await cloud.close();
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.floor(latencies.length * 0.99)]!;

    return [
      "## Local cloud store",
      "",
      "| measure | result |",
      "|---|---|",
      `| transactions, one at a time (each waits for its fsync) | ${rate(sequential, sequentialMs)} tx/s |`,
      `| ${concurrent.toLocaleString("en-US")} concurrent transactions (group commit: one write + fsync per batch) | ${rate(concurrent, concurrentMs)} tx/s |`,
      `| reopen, replaying a ${records.toLocaleString("en-US")}-record journal | ${replayMs.toFixed(0)} ms |`,
      `| reopen from the compacted snapshot | ${snapshotMs.toFixed(0)} ms |`,
      `| in-process Cloud Control GetResource while CreateResource runs in a loop (${writes} creates meanwhile) | ${rate(reads, readMs)} reads/s, p99 ${p99.toFixed(3)} ms |`,
      "",
    ].join("\n");
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await run());
