import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openStore, StoreInUseError } from "./index.ts";

function tempHome(): string {
  return mkdtempSync(join(tmpdir(), "idbridge-store-"));
}

test("writes survive close and reopen; reads see committed state only", async () => {
  const home = tempHome();
  try {
    const store = await openStore(home);
    await store.transact((tx) => {
      tx.put("buckets", "a", { name: "a", n: 1 });
      tx.put("buckets", "b", { name: "b", n: 2 });
    });
    await store.transact((tx) => tx.delete("buckets", "a"));
    const failed = store.transact((tx) => {
      tx.put("buckets", "c", { name: "c" });
      throw new Error("boom");
    });
    await assert.rejects(failed, /boom/);
    assert.equal(store.get("buckets", "c"), undefined, "a failed transaction writes nothing");
    assert.deepEqual(store.list("buckets"), [["b", { name: "b", n: 2 }]]);
    assert.throws(() => {
      (store.get<{ n: number }>("buckets", "b") as { n: number }).n = 5;
    }, TypeError);
    await store.close();

    const reopened = await openStore(home);
    try {
      assert.deepEqual(reopened.list("buckets"), [["b", { name: "b", n: 2 }]]);
    } finally {
      await reopened.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("transactions are serialized and see each other's writes", async () => {
  const home = tempHome();
  try {
    const store = await openStore(home);
    try {
      const increments = Array.from({ length: 200 }, () =>
        store.transact((tx) => {
          const n = tx.get<number>("counters", "c") ?? 0;
          tx.put("counters", "c", n + 1);
          return n + 1;
        }),
      );
      const results = await Promise.all(increments);
      assert.deepEqual(
        results,
        Array.from({ length: 200 }, (_, i) => i + 1),
      );
      assert.equal(store.get("counters", "c"), 200);
      const first = store.transact((tx) => tx.put("rows", "r1", 1));
      const second = store.transact((tx) => {
        tx.put("rows", "r2", 2);
        return { inside: store.list("rows").map(([k]) => k), viaGet: store.get("rows", "r1") };
      });
      assert.equal(
        store.get("rows", "r1"),
        undefined,
        "not visible outside transactions before it is durable",
      );
      await first;
      assert.deepEqual(
        await second,
        { inside: ["r1", "r2"], viaGet: 1 },
        "later transactions see earlier ones",
      );
      assert.deepEqual(
        store.list("k", "p/").map(([k]) => k),
        [],
      );
      await store.transact((tx) => {
        for (const k of ["p/b", "p/a", "q/a", "o/z"]) tx.put("k", k, 1);
      });
      assert.deepEqual(
        store.list("k", "p/").map(([k]) => k),
        ["p/a", "p/b"],
      );
    } finally {
      await store.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("a torn or corrupted journal tail is dropped on open, earlier transactions kept", async () => {
  const home = tempHome();
  try {
    const store = await openStore(home, { compactBytes: Number.MAX_SAFE_INTEGER });
    for (let i = 0; i < 5; i++) await store.transact((tx) => tx.put("t", `k${i}`, { i }));
    // Simulate a crash: no close (which would compact), just drop the lock.
    const journal = join(home, "store", "journal");
    const size = statSync(journal).size;
    await (store as unknown as { unlock: () => Promise<void> }).unlock();

    truncateSync(journal, size - 3);
    let reopened = await openStore(home);
    assert.deepEqual(
      reopened.list("t").map(([k]) => k),
      ["k0", "k1", "k2", "k3"],
      "the torn last frame is ignored",
    );
    await reopened.transact((tx) => tx.put("t", "after", 1));
    await (reopened as unknown as { unlock: () => Promise<void> }).unlock();

    const bytes = readFileSync(journal);
    bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0xff;
    writeFileSync(journal, bytes);
    reopened = await openStore(home);
    try {
      assert.deepEqual(
        reopened.list("t").map(([k]) => k),
        ["k0", "k1", "k2", "k3"],
        "a frame with a bad checksum is ignored and appends after the truncated tail work",
      );
    } finally {
      await reopened.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("compaction to a snapshot keeps the state", async () => {
  const home = tempHome();
  try {
    const store = await openStore(home, { compactBytes: 2_000 });
    for (let i = 0; i < 100; i++)
      await store.transact((tx) => tx.put("t", `k${String(i).padStart(3, "0")}`, { i }));
    await store.transact((tx) => tx.delete("t", "k000"));
    assert.ok(statSync(join(home, "store", "journal")).size < 2_000 + 200, "journal was compacted");
    await (store as unknown as { unlock: () => Promise<void> }).unlock();
    const reopened = await openStore(home);
    try {
      assert.equal(reopened.list("t").length, 99);
      assert.deepEqual(reopened.get("t", "k099"), { i: 99 });
    } finally {
      await reopened.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("a second opener gets a clear in-use error naming the holder", async () => {
  const home = tempHome();
  try {
    const store = await openStore(home);
    try {
      await assert.rejects(openStore(home), (error: unknown) => {
        assert.ok(error instanceof StoreInUseError);
        assert.equal(
          error.message,
          `the local cloud at ${home} is in use by process ${process.pid}; stop it or use --home`,
        );
        return true;
      });
    } finally {
      await store.close();
    }
    const again = await openStore(home);
    await again.close();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

const WRITER = `
import { openStore } from ${JSON.stringify(new URL("./index.ts", import.meta.url).href)};
const store = await openStore(process.argv[2], { compactBytes: 20000 });
for (let i = 1; ; i++) {
  await store.transact((tx) => {
    tx.put("pairs", "a", { i, pad: "x".repeat(i % 500) });
    tx.put("pairs", "b", { i });
    tx.put("log", "n" + String(i).padStart(8, "0"), i);
  });
  process.stdout.write(i + "\\n");
}
`;

test("a writer killed with SIGKILL mid-writes leaves a consistent store that reopens at once", async () => {
  const home = tempHome();
  try {
    const script = join(home, "writer.mts");
    writeFileSync(script, WRITER);
    const child = spawn(process.execPath, ["--import", "tsx", script, home], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let acknowledged = 0;
    await new Promise<void>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code) => reject(new Error(`writer exited early with ${code}`)));
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => {
        const lines = chunk.trim().split("\n");
        acknowledged = Number(lines[lines.length - 1]);
        if (acknowledged >= 300) resolve();
      });
    });
    child.removeAllListeners("exit");
    const exited = new Promise((r) => child.on("exit", r));
    child.kill("SIGKILL");
    await exited;

    const store = await openStore(home);
    try {
      const a = store.get<{ i: number }>("pairs", "a")!;
      const b = store.get<{ i: number }>("pairs", "b")!;
      assert.equal(a.i, b.i, "both writes of a transaction or neither");
      assert.ok(a.i >= acknowledged, `acknowledged transaction ${acknowledged} is durable (have ${a.i})`);
      assert.equal(store.list("log").length, a.i, "no transaction lost or half-applied");
    } finally {
      await store.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
