import { createHash, randomUUID } from "node:crypto";
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync } from "node:fs";
import { copyFile, open } from "node:fs/promises";
import { extname, join } from "node:path";
import { Readable } from "node:stream";
import { fsyncDir } from "../../lib/fsync-dir.ts";

/** What S3 accepts as a request body in-process (serve passes the decoded request stream). */
export type BodyInput = Buffer | Uint8Array | string | Readable | AsyncIterable<Uint8Array> | undefined;

export interface WrittenBlob {
  /** File name inside the blob dir. */
  name: string;
  size: number;
  /** Binary MD5 of the content. */
  md5: Buffer;
}

const TEMP_PREFIX = ".tmp-";

/** Blob names keep the key's extension so readers (DuckDB) can tell parquet from csv. */
export function blobName(key: string): string {
  const ext = extname(key).toLowerCase();
  return randomUUID() + (/^\.[a-z0-9]{1,10}$/.test(ext) ? ext : "");
}

function chunksOf(body: BodyInput): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  if (body === undefined) return [];
  if (typeof body === "string") return [Buffer.from(body, "utf8")];
  if (body instanceof Uint8Array) return [body];
  return body as AsyncIterable<Uint8Array>;
}

/**
 * Streams body into a new file under dir: written to a temp name, fsync'ed, renamed and the
 * directory fsync'ed, so a crash leaves either no file or the whole file — never half an object.
 */
export async function writeBlob(dir: string, key: string, body: BodyInput): Promise<WrittenBlob> {
  const name = blobName(key);
  const temp = join(dir, TEMP_PREFIX + name);
  const hash = createHash("md5");
  let size = 0;
  // Objects are only the owner's to read, like the rest of the local cloud's home.
  const handle = await open(temp, "w", 0o600);
  try {
    for await (const chunk of chunksOf(body)) {
      const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      hash.update(buf);
      size += buf.length;
      await handle.write(buf);
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    rmSync(temp, { force: true });
    throw error;
  }
  await handle.close();
  renameSync(temp, join(dir, name));
  fsyncDir(dir);
  return { name, size, md5: hash.digest() };
}

/** Copies a file into dir as a new blob (same guarantees as writeBlob). */
export async function copyIntoBlob(dir: string, key: string, source: string): Promise<WrittenBlob> {
  const handle = await open(source, "r");
  try {
    return await writeBlob(dir, key, handle.createReadStream({ autoClose: false }));
  } finally {
    await handle.close();
  }
}

/** Concatenates blobs (multipart completion) into a new blob. */
export async function concatBlobs(dir: string, key: string, parts: string[]): Promise<WrittenBlob> {
  async function* chunks(): AsyncIterable<Uint8Array> {
    for (const part of parts) {
      const handle = await open(join(dir, part), "r");
      try {
        for await (const chunk of handle.createReadStream({ autoClose: false })) yield chunk as Buffer;
      } finally {
        await handle.close();
      }
    }
  }
  return writeBlob(dir, key, Readable.from(chunks()));
}

export async function duplicateBlob(dir: string, key: string, from: string): Promise<string> {
  const name = blobName(key);
  await copyFile(join(dir, from), join(dir, TEMP_PREFIX + name));
  const fd = openSync(join(dir, TEMP_PREFIX + name), "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(join(dir, TEMP_PREFIX + name), join(dir, name));
  fsyncDir(dir);
  return name;
}

/** Removes temp files and blobs no record points to (left by a crash between write and commit). */
export function removeOrphanBlobs(dir: string, referenced: Set<string>): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (!referenced.has(name)) {
      rmSync(join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
