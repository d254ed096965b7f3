import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { withTempDir } from "../../../test/support/prepare-files.ts";
import { nativeHashing } from "../6-parquet/sha256-hex-batch.ts";
import type { TransformPlan } from "../types.ts";
import { processCsvChunk } from "./chunk-processor.ts";
import { csvWorkerEntry } from "./worker-bundle.ts";

const PLAN: TransformPlan = {
  idIndex: 0,
  countryIndex: -1,
  identity: [
    { kind: "EMAIL_ADDRESS", sources: [1] },
    { kind: "NAME_FIRST", sources: [2] },
    { kind: "PHONE", sources: [3] },
  ],
  fieldCount: 4,
  hash: true,
  country: "US",
};
const CSV = 'C1, Jane@Example.com ,Zoë,(212) 555-0100\nC2,"bob@x.co",Bob,+44 20 7946 0018\nC3,,,\n';

interface WorkerReply {
  ready?: boolean;
  nativeHashing?: boolean;
  outcome?: { ok: boolean; group: { buffer: Uint8Array } };
}

/** Runs one chunk on a worker started from `entry`; the ready message and the chunk's outcome. */
async function runOnWorker(entry: URL): Promise<WorkerReply[]> {
  const worker = new Worker(entry, { workerData: { plan: PLAN } });
  const replies: WorkerReply[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on("error", reject);
      worker.on("message", (reply: WorkerReply) => {
        replies.push(reply);
        if (reply.ready) {
          const bytes = new Uint8Array(new ArrayBuffer(CSV.length * 2), 0, Buffer.byteLength(CSV));
          Buffer.from(bytes.buffer).write(CSV);
          worker.postMessage({ bytes, delimiter: ",", seq: 1 });
        } else resolve();
      });
    });
  } finally {
    await worker.terminate();
  }
  return replies;
}

test("the bundled worker loads the native hasher like the main thread and encodes chunks byte for byte alike", async () => {
  await withTempDir(async (dir) => {
    const entry = await csvWorkerEntry(dir);
    assert.equal(fileURLToPath(entry), join(dir, "csv-worker.mjs"));
    const manifest = JSON.parse(readFileSync(join(dir, "csv-worker.json"), "utf8")) as {
      inputs: Array<{ path: string }>;
    };
    const inputs = manifest.inputs.map((input) => input.path);
    for (const source of [
      "prepare/3-workers/csv-worker.ts",
      "prepare/4-rows/row-transformer.ts",
      "normalize/email.ts",
    ]) {
      assert.ok(
        inputs.some((path) => path.endsWith(`src/${source}`)),
        `${source} is checked for changes`,
      );
    }
    const [ready, done] = await runOnWorker(entry);
    assert.equal(ready?.nativeHashing, nativeHashing, "the bundle finds the native addon (when it is built)");
    const inline = processCsvChunk(PLAN, { bytes: Buffer.from(CSV), delimiter: "," });
    assert.ok(inline.ok && done?.outcome?.ok);
    assert.ok(Buffer.from(done.outcome.group.buffer).equals(inline.group.buffer));
  });
});

test("a bundle older than one of its sources is rebuilt; without a usable cache the tsx entry runs", async () => {
  await withTempDir(async (dir) => {
    await csvWorkerEntry(dir);
    const stale = join(dir, "stale");
    const manifestPath = join(dir, "csv-worker.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { inputs: Array<{ mtimeMs: number }> };
    manifest.inputs[0]!.mtimeMs -= 1000;
    mkdirSync(stale);
    writeFileSync(join(stale, "csv-worker.json"), JSON.stringify(manifest));
    writeFileSync(join(stale, "csv-worker.mjs"), "throw new Error('stale bundle');\n");
    await csvWorkerEntry(stale);
    assert.doesNotMatch(readFileSync(join(stale, "csv-worker.mjs"), "utf8"), /stale bundle/);

    // A cache another checkout built (node_modules linked between two trees) is not taken for this one's.
    const other = join(dir, "other");
    mkdirSync(other);
    const fresh = JSON.parse(readFileSync(manifestPath, "utf8")) as { source: string };
    writeFileSync(
      join(other, "csv-worker.json"),
      JSON.stringify({ ...fresh, source: "/elsewhere/csv-worker.ts" }),
    );
    writeFileSync(join(other, "csv-worker.mjs"), "throw new Error('other checkout');\n");
    await csvWorkerEntry(other);
    assert.doesNotMatch(readFileSync(join(other, "csv-worker.mjs"), "utf8"), /other checkout/);

    const notADirectory = join(dir, "file");
    writeFileSync(notADirectory, "");
    const fallback = await csvWorkerEntry(notADirectory);
    assert.match(fileURLToPath(fallback), /src\/prepare\/3-workers\/csv-worker-entry\.mjs$/);
    const [ready, done] = await runOnWorker(fallback);
    assert.equal(ready?.nativeHashing, nativeHashing);
    assert.ok(done?.outcome?.ok);
  });
});
