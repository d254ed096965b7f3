// Local cloud store and in-process Cloud Control: commit throughput (one fsync per transaction vs
// group commit), reopen time, GetResource reads while writes run, restart time against state size,
// and request latency while a large state compacts. Bounded to about a minute.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalCloud } from "../src/cloud/index.ts";
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from "../src/cloud/service.ts";
import { openStore } from "../src/cloud/store/index.ts";
import type { Store } from "../src/cloud/store.ts";

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString("en-US");
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/** An S3 object record as the S3 service stores it (~320 bytes of JSON). */
const objectRecord = (i: number) => ({
  Key: `data/part-${i % 1000}/file-${i}.parquet`,
  Size: i * 13,
  ETag: `"${(i * 2654435761).toString(16).padStart(32, "0").slice(-32)}"`,
  LastModified: new Date(1.7e12 + i * 1000).toISOString(),
  ContentType: "application/octet-stream",
  Metadata: { owner: `team-${i % 17}`, run: String(i) },
  blob: `${i.toString(16).padStart(8, "0")}-4bf2-4c1e-9d1a-5e0f3c2b1a09.parquet`,
});

async function fill(store: Store, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += 5_000) {
    await store.transact((tx) => {
      for (let j = i; j < Math.min(to, i + 5_000); j++) tx.put("s3.objects", `bench/${j}`, objectRecord(j));
    });
  }
}

/** Restart (open) time and the first read after it, for states of growing size. */
async function restartBySize(home: string): Promise<string[]> {
  const lines = ["| rows | snapshot | restart (open) | first read after it |", "|---|---|---|---|"];
  let rows = 0;
  for (const target of [50_000, 150_000, 450_000]) {
    let store = await openStore(home);
    await fill(store, rows, target);
    rows = target;
    await store.close();
    const mb = statSync(join(home, "store", "snapshot")).size / 1e6;
    const t0 = performance.now();
    store = await openStore(home);
    const openMs = performance.now() - t0;
    const t1 = performance.now();
    store.get("s3.objects", `bench/${target - 1}`);
    const readMs = performance.now() - t1;
    await store.close();
    lines.push(
      `| ${target.toLocaleString("en-US")} | ${mb.toFixed(0)} MB | ${openMs.toFixed(0)} ms | ${readMs.toFixed(2)} ms |`,
    );
  }
  return lines;
}

/**
 * 16 clients, each in a loop: read one object record, write another (one transaction), against the
 * largest state, with a journal threshold low enough that compactions of the whole state run
 * several times. Latency of the requests that overlapped a compaction against the others.
 */
async function latencyWhileCompacting(home: string): Promise<string[]> {
  const store = await openStore(home, { compactBytes: 4 * 1024 * 1024 });
  const compacting = () => (store as unknown as { compaction?: Promise<void> }).compaction !== undefined;
  const total = store.list("s3.objects").length;
  const during: number[] = [];
  const outside: number[] = [];
  let compactions = 0;
  let wasCompacting = false;
  const t0 = performance.now();
  const clients = Array.from({ length: 16 }, async (_, c) => {
    for (let n = 0; performance.now() - t0 < 20_000 && compactions < 3; n++) {
      const start = performance.now();
      const overlapped = compacting();
      store.get("s3.objects", `bench/${(n * 7919 + c) % total}`);
      await store.transact((tx) =>
        tx.put("s3.objects", `bench/${(n * 104729 + c) % total}`, objectRecord(n)),
      );
      const now = compacting();
      if (wasCompacting && !now) compactions++;
      wasCompacting = now;
      (overlapped || now ? during : outside).push(performance.now() - start);
    }
  });
  await Promise.all(clients);
  await store.close();
  during.sort((a, b) => a - b);
  outside.sort((a, b) => a - b);
  const row = (what: string, l: number[]) =>
    `| ${what} | ${l.length.toLocaleString("en-US")} | ${percentile(l, 0.5).toFixed(1)} ms | ${percentile(l, 0.99).toFixed(1)} ms | ${(l.at(-1) ?? Number.NaN).toFixed(1)} ms |`;
  const ratio = (q: number) => (percentile(during, q) / percentile(outside, q)).toFixed(1);
  return [
    `${compactions} compactions of the ${total.toLocaleString("en-US")}-row state completed in the window.`,
    `Request p99 while a compaction ran / with none running: **${ratio(0.99)}x** (p50 ${ratio(0.5)}x).`,
    "",
    "| requests (read + write, 16 clients) | count | p50 | p99 | max |",
    "|---|---|---|---|---|",
    row("while a compaction ran", during),
    row("with no compaction running", outside),
  ];
}

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
      "### Restart time against state size",
      "",
      "S3 object records (~320 bytes of JSON each); the snapshot's values are parsed on first read.",
      "",
      ...(await restartBySize(join(home, "sized"))),
      "",
      "### Request latency while the state compacts",
      "",
      ...(await latencyWhileCompacting(join(home, "sized"))),
      "",
    ].join("\n");
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await run());
