import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { z } from "zod";

/** An operation sent to Cloud Control whose outcome is not recorded yet (a crash leaves it here). */
export const PendingOperation = z.strictObject({
  operation: z.enum(["CREATE", "UPDATE", "DELETE"]),
  /** Sent as ClientToken; a retry after a crash sends the same one, so Cloud Control does the work once. */
  clientToken: z.string(),
  /** The identifier the operation acts on (UPDATE, DELETE). */
  identifier: z.string().optional(),
  startedAt: z.string(),
});
export type PendingOperation = z.infer<typeof PendingOperation>;

/**
 * What iac remembers about one resource. `props` is the last-applied desired state with write-only
 * values replaced by their SHA-256 (secrets never reach the disk); `attributes` are the read-only
 * properties Cloud Control returned.
 */
export const ResourceState = z.strictObject({
  version: z.literal(1),
  id: z.string(),
  typeName: z.string(),
  /** Declaration order; destroy and orphan deletion go in reverse, so dependents go first. */
  order: z.number().int(),
  identifier: z.string().optional(),
  props: z.record(z.string(), z.unknown()).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  pending: PendingOperation.optional(),
  /** Identifiers replaced by `identifier` that still have to be deleted. */
  retired: z.array(z.string()).default([]),
  adopted: z.boolean().optional(),
  updatedAt: z.string(),
});
export type ResourceState = z.infer<typeof ResourceState>;

const fileName = (id: string) => `${encodeURIComponent(id)}.json`;

/** A file the app put into a bucket (app.uploadFile): removed when no longer uploaded, and on destroy. */
export const UploadState = z.strictObject({
  Bucket: z.string(),
  Key: z.string(),
  sha256: z.string(),
});
export type UploadState = z.infer<typeof UploadState>;

const UPLOADS = "uploads";
const uploadName = (upload: { Bucket: string; Key: string }) =>
  `${encodeURIComponent(`${upload.Bucket}/${upload.Key}`)}.json`;

/** One JSON file per resource under `<home>/state/<app>/<stage>/`, each written atomically (temp file + rename). */
/** The .json files of a directory, sorted; none when it does not exist yet. */
function jsonFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

export class StateStore {
  readonly dir: string;

  constructor(home: string, app: string, stage: string) {
    this.dir = join(home, "state", app, stage);
  }

  ensureDir(): void {
    mkdirSync(this.dir, { recursive: true });
  }

  read(id: string): ResourceState | undefined {
    return this.readFile(join(this.dir, fileName(id)));
  }

  /** Every resource recorded for this app and stage. */
  list(): ResourceState[] {
    return jsonFilesIn(this.dir)
      .map((name) => this.readFile(join(this.dir, name)))
      .filter((state): state is ResourceState => state !== undefined);
  }

  async write(state: ResourceState): Promise<void> {
    this.ensureDir();
    const record = ResourceState.parse({ ...state, updatedAt: new Date().toISOString() });
    await writeFileAtomic(join(this.dir, fileName(state.id)), `${JSON.stringify(record, null, 2)}\n`, {
      fsync: true,
    });
  }

  remove(id: string): void {
    rmSync(join(this.dir, fileName(id)), { force: true });
  }

  uploads(): UploadState[] {
    const dir = join(this.dir, UPLOADS);
    return jsonFilesIn(dir).map((name) =>
      UploadState.parse(JSON.parse(readFileSync(join(dir, name), "utf8"))),
    );
  }

  async writeUpload(upload: UploadState): Promise<void> {
    mkdirSync(join(this.dir, UPLOADS), { recursive: true });
    await writeFileAtomic(join(this.dir, UPLOADS, uploadName(upload)), `${JSON.stringify(upload)}\n`, {
      fsync: true,
    });
  }

  removeUpload(upload: { Bucket: string; Key: string }): void {
    rmSync(join(this.dir, UPLOADS, uploadName(upload)), { force: true });
  }

  private readFile(file: string): ResourceState | undefined {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = ResourceState.safeParse(json);
    if (!parsed.success) {
      throw new Error(
        `state file ${file} is not a valid idbridge resource state; restore it from version control, or delete it and re-run with adopt: true`,
      );
    }
    return parsed.data;
  }
}
