import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Store } from "../store.ts";
import { openStore, StoreDamagedError, StoreInUseError } from "./index.ts";

function tempHome(): string {
  return mkdtempSync(join(tmpdir(), "idbridge-store-"));
}

/** The store's internals a test may wait on or use to simulate a crash (no close, no final compaction). */
const internals = (store: Store) =>
  store as unknown as { unlock(): Promise<void>; compaction: Promise<void> | undefined };

const modeOf = (path: string) => statSync(path).mode & 0o777;

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
    await internals(store).compaction;
    await internals(store).unlock();
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

test("compaction runs beside the requests: commits and reads go on while it is held, and a crash in it loses nothing", async () => {
  const home = tempHome();
  try {
    let gateReached = false;
    let endGate!: (error: Error) => void;
    // Holds the snapshot after its first block until the test ends it.
    const gate = new Promise<void>((_, reject) => {
      endGate = reject;
    });
    const store = await openStore(home, {
      compactBytes: 100_000,
      betweenSnapshotBlocks: () => {
        gateReached = true;
        return gate;
      },
    });
    const pad = "x".repeat(400);
    for (let i = 0; i < 1_000; i++) await store.transact((tx) => tx.put("bulk", `b${i}`, { i, pad }));
    assert.ok(gateReached && internals(store).compaction, "a compaction is under way");
    for (let i = 0; i < 50; i++) await store.transact((tx) => tx.put("during", `d${i}`, { i }));
    await store.transact((tx) => tx.delete("bulk", "b0"));
    assert.deepEqual(store.get("during", "d49"), { i: 49 }, "commits and reads go on while it runs");
    assert.ok(internals(store).compaction, "and it is still held");
    const files = readdirSync(join(home, "store"));
    assert.ok(
      files.some((f) => /^journal\.\d+$/.test(f)),
      `the full journal was set aside: ${files}`,
    );
    assert.ok(
      files.some((f) => f.endsWith(".tmp")),
      `the snapshot is being written: ${files}`,
    );

    await internals(store).unlock(); // the process "dies" here, its snapshot half-written
    const reopened = await openStore(home);
    try {
      assert.equal(reopened.list("bulk").length, 999);
      assert.deepEqual(reopened.get("bulk", "b999"), { i: 999, pad });
      assert.equal(reopened.list("during").length, 50);
      assert.ok(
        !readdirSync(join(home, "store")).some((f) => f.endsWith(".tmp")),
        "the half-written snapshot is removed",
      );
    } finally {
      await reopened.close();
    }
    assert.deepEqual(
      readdirSync(join(home, "store")).sort(),
      ["journal", "snapshot"],
      "close compacts it all",
    );
    const again = await openStore(home);
    try {
      assert.equal(again.list("bulk").length, 999);
      assert.deepEqual(again.get("during", "d7"), { i: 7 });
    } finally {
      await again.close();
    }
    // The "dead" process's compaction: failing, it closes its file and changes nothing.
    endGate(new Error("the test is over"));
    await internals(store).compaction;
    assert.deepEqual(readdirSync(join(home, "store")).sort(), ["journal", "snapshot"]);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("a compaction yields the disk to commits: a commit queued while a snapshot is written is on disk before its next block", async () => {
  const home = tempHome();
  try {
    // Before each block after the first: was the commit queued at the previous block durable by now?
    const durableBeforeNextBlock: boolean[] = [];
    let queued: { durable: boolean } | undefined;
    let store: Store | undefined;
    let watching = true;
    store = await openStore(home, {
      compactBytes: 1_500_000,
      betweenSnapshotBlocks: () => {
        if (!watching) return;
        if (queued) durableBeforeNextBlock.push(queued.durable);
        const commit = { durable: false };
        queued = commit;
        void store!
          .transact((tx) => tx.put("during", `d${durableBeforeNextBlock.length}`, { at: Date.now() }))
          .then(() => {
            commit.durable = true;
          });
      },
    });
    const pad = "x".repeat(400);
    for (let i = 0; i < 4_000; i += 100) {
      await store.transact((tx) => {
        for (let j = i; j < i + 100; j++) tx.put("bulk", `b${j}`, { j, pad });
      });
    }
    await internals(store).compaction;
    watching = false;
    assert.ok(
      durableBeforeNextBlock.length >= 3,
      `the snapshot took several blocks (${durableBeforeNextBlock.length + 1})`,
    );
    assert.deepEqual(
      durableBeforeNextBlock,
      durableBeforeNextBlock.map(() => true),
      "every commit queued during the snapshot was synced before the next block was written",
    );
    await store.close();
    const reopened = await openStore(home);
    assert.equal(reopened.list("bulk").length, 4_000);
    await reopened.close();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("a snapshot is synced in steps while it is written, not only at its end", async () => {
  const home = tempHome();
  try {
    const synced: number[] = [];
    const store = await openStore(home, {
      compactBytes: Number.MAX_SAFE_INTEGER,
      snapshotSyncBytes: 256 * 1024,
      onSnapshotSynced: (bytes) => synced.push(bytes),
    });
    const pad = "x".repeat(400);
    await store.transact((tx) => {
      for (let j = 0; j < 5_000; j++) tx.put("bulk", `b${j}`, { j, pad });
    });
    await store.close(); // compacts
    const size = statSync(join(home, "store", "snapshot")).size;
    assert.ok(size > 2_000_000, `a ${size}-byte snapshot`);
    assert.ok(
      synced.length >= Math.floor(size / (512 * 1024)),
      `${synced.length} syncs while writing ${size} bytes`,
    );
    for (let i = 1; i < synced.length; i++)
      assert.ok(synced[i]! > synced[i - 1]!, "each step further into the file");
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("values read back from a snapshot are parsed on first read, frozen, listed in key order", async () => {
  const home = tempHome();
  try {
    const store = await openStore(home);
    const keys = ["é/2", "a/1", "z", "a/0", "\u{1F600}", "a\n/3"];
    await store.transact((tx) => {
      for (const [i, key] of keys.entries())
        tx.put("rows", key, { i, text: `ünï ${key}`, list: [i, { n: null }] });
      tx.put("numbers", "n", 42);
      tx.put("strings", "s", "a string");
    });
    await store.close();
    const reopened = await openStore(home);
    try {
      assert.deepEqual(
        reopened.list("rows").map(([k]) => k),
        [...keys].sort(),
      );
      assert.deepEqual(reopened.get("rows", "é/2"), { i: 0, text: "ünï é/2", list: [0, { n: null }] });
      assert.deepEqual(
        reopened.list("rows", "a/").map(([k, v]) => [k, (v as { i: number }).i]),
        [
          ["a/0", 3],
          ["a/1", 1],
        ],
      );
      assert.equal(reopened.get("numbers", "n"), 42);
      assert.equal(reopened.get("strings", "s"), "a string");
      assert.throws(() => {
        reopened.get<{ list: Array<{ n: unknown }> }>("rows", "z")!.list[1]!.n = 1;
      }, TypeError);
      await reopened.transact((tx) => tx.put("rows", "a/1", { i: -1 }));
    } finally {
      await reopened.close();
    }
    const third = await openStore(home);
    try {
      assert.deepEqual(third.get("rows", "a/1"), { i: -1 });
      assert.equal(third.list("rows").length, keys.length);
    } finally {
      await third.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("a home written by the previous format (snapshot.json) opens, and its next snapshot replaces it", async () => {
  const home = tempHome();
  try {
    mkdirSync(join(home, "store"), { recursive: true });
    writeFileSync(
      join(home, "store", "snapshot.json"),
      JSON.stringify({ seq: 7, tables: { t: { a: { n: 1 }, b: { n: 2 } } } }),
    );
    const store = await openStore(home);
    try {
      assert.deepEqual(store.list("t"), [
        ["a", { n: 1 }],
        ["b", { n: 2 }],
      ]);
      await store.transact((tx) => tx.delete("t", "a"));
    } finally {
      await store.close();
    }
    assert.ok(!existsSync(join(home, "store", "snapshot.json")));
    const reopened = await openStore(home);
    try {
      assert.deepEqual(reopened.list("t"), [["b", { n: 2 }]]);
    } finally {
      await reopened.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("a damaged snapshot stops the open with an error naming the file", async () => {
  const home = tempHome();
  try {
    const store = await openStore(home);
    await store.transact((tx) => tx.put("t", "k", { v: "value" }));
    await store.close();
    const snapshot = join(home, "store", "snapshot");
    const bytes = readFileSync(snapshot);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    writeFileSync(snapshot, bytes);
    await assert.rejects(openStore(home), (error: unknown) => {
      assert.ok(error instanceof StoreDamagedError);
      assert.match(error.message, new RegExp(`^${snapshot} is damaged .*restore the home from a backup$`));
      return true;
    });
    await assert.rejects(openStore(home), StoreDamagedError, "the lock was released after the failed open");
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("the home is private: 0700 directories and 0600 files, and an older open home is made so", async () => {
  const home = join(tempHome(), "home");
  try {
    let store = await openStore(home);
    await store.transact((tx) => tx.put("t", "k", 1));
    const blobs = store.blobDir("s3");
    await store.close();
    for (const dir of [home, join(home, "store"), blobs]) assert.equal(modeOf(dir), 0o700, dir);
    for (const file of ["journal", "snapshot"]) assert.equal(modeOf(join(home, "store", file)), 0o600, file);

    // A home from before: everything readable by everyone.
    for (const dir of [home, join(home, "store"), blobs]) chmodSync(dir, 0o755);
    const object = join(blobs, "object.csv");
    writeFileSync(object, "a", { mode: 0o644 });
    chmodSync(object, 0o644);
    chmodSync(join(home, "store", "snapshot"), 0o644);
    store = await openStore(home);
    try {
      for (const dir of [home, join(home, "store"), blobs]) assert.equal(modeOf(dir), 0o700, dir);
      for (const file of [object, join(home, "store", "snapshot"), join(home, "store", "journal")])
        assert.equal(modeOf(file), 0o600, file);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(join(home, ".."), { recursive: true, force: true });
  }
});

const WRITER = `
import { openStore } from ${JSON.stringify(new URL("./index.ts", import.meta.url).href)};
const store = await openStore(process.argv[2], { compactBytes: 20000 });
if (!store.get("bulk", "r0")) {
  // Enough state that a snapshot takes several blocks: kills land in the middle of compactions.
  await store.transact((tx) => {
    for (let r = 0; r < 3000; r++) tx.put("bulk", "r" + r, { r, pad: "y".repeat(300) });
  });
}
for (let i = (store.get("pairs", "a")?.i ?? 0) + 1; ; i++) {
  await store.transact((tx) => {
    tx.put("pairs", "a", { i, pad: "x".repeat(i % 500) });
    tx.put("pairs", "b", { i });
    tx.put("log", "n" + String(i).padStart(8, "0"), i);
  });
  process.stdout.write(i + "\\n");
}
`;

test("writers killed with SIGKILL at random points, mid-compaction too, leave a consistent store every time", async () => {
  const home = tempHome();
  try {
    const script = join(home, "writer.mts");
    writeFileSync(script, WRITER);
    let acknowledged = 0;
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, ["--import", "tsx", script, home], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      const target = acknowledged + 150 + Math.floor(Math.random() * 150);
      await new Promise<void>((resolve, reject) => {
        child.on("error", reject);
        child.on("exit", (code) => reject(new Error(`writer exited early with ${code}`)));
        child.stdout.setEncoding("utf8");
        child.stdout.on("data", (chunk: string) => {
          const lines = chunk.trim().split("\n");
          acknowledged = Math.max(acknowledged, Number(lines[lines.length - 1]));
          if (acknowledged >= target) resolve();
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
        assert.equal(a.i, b.i, `round ${round}: both writes of a transaction or neither`);
        assert.ok(
          a.i >= acknowledged,
          `round ${round}: acknowledged ${acknowledged} is durable (have ${a.i})`,
        );
        assert.equal(store.list("log").length, a.i, `round ${round}: no transaction lost or half-applied`);
        assert.equal(store.list("bulk").length, 3000, `round ${round}: the bulk rows are all there`);
        assert.deepEqual(store.get("bulk", "r2999"), { r: 2999, pad: "y".repeat(300) });
        acknowledged = a.i;
      } finally {
        // A crash, not a close: the next writer starts from journals and a snapshot as the kill left them.
        await internals(store).unlock();
      }
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
