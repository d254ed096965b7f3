import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { z } from "zod";
import { LOCAL_REGION } from "../cloud/service.ts";
import { ServeFileError } from "./errors.ts";

export const LocalCredentials = z.object({
  accessKeyId: z.string().regex(/^AKIA[A-Z2-7]{16}$/),
  secretAccessKey: z.string().min(40),
  region: z.string().min(1),
  /** Bearer token the AMC admin API accepts (Authorization: Bearer …). */
  amcToken: z.string().min(20),
});
export type LocalCredentials = z.infer<typeof LocalCredentials>;

export const ServerInfo = z.object({
  url: z.string().url(),
  host: z.string(),
  port: z.number().int(),
  pid: z.number().int(),
  startedAt: z.string(),
});
export type ServerInfo = z.infer<typeof ServerInfo>;

export const credentialsPath = (home: string) => join(home, "credentials.json");
export const serverInfoPath = (home: string) => join(home, "server.json");

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function newCredentials(): LocalCredentials {
  const keyBytes = randomBytes(16);
  return {
    accessKeyId: `AKIA${[...keyBytes].map((byte) => BASE32[byte % 32]).join("")}`,
    secretAccessKey: randomBytes(30).toString("base64"),
    region: LOCAL_REGION,
    amcToken: `Atza|${randomBytes(48).toString("base64url")}`,
  };
}

async function readJson<T>(path: string, schema: z.ZodType<T>, what: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const hint = `delete ${path} to let idbridge create a new one`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ServeFileError(path, `${path}: ${what} is not valid JSON`, hint);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join(".") || "(root)";
    throw new ServeFileError(path, `${path}: ${what} is not valid (field ${field})`, hint);
  }
  return parsed.data;
}

/**
 * The local cloud's credentials: created once per home with mode 0600 and reused on every restart.
 * Two processes starting at once agree on one file: each writes a temp file and hard-links it into
 * place, which fails for the loser, who then reads the winner's.
 */
export async function loadOrCreateCredentials(home: string): Promise<LocalCredentials> {
  const path = credentialsPath(home);
  const existing = await readJson(path, LocalCredentials, "the credentials file");
  if (existing) return existing;
  await mkdir(home, { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temp, `${JSON.stringify(newCredentials(), null, 2)}\n`, { mode: 0o600, flag: "wx" });
  try {
    await chmod(temp, 0o600);
    await link(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await rm(temp, { force: true });
  }
  const created = await readJson(path, LocalCredentials, "the credentials file");
  if (!created) throw new Error(`${path} vanished while it was being created`);
  return created;
}

export async function readCredentials(home: string): Promise<LocalCredentials | undefined> {
  return readJson(credentialsPath(home), LocalCredentials, "the credentials file");
}

export async function writeServerInfo(home: string, info: ServerInfo): Promise<void> {
  await writeFileAtomic(serverInfoPath(home), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}

export async function readServerInfo(home: string): Promise<ServerInfo | undefined> {
  return readJson(serverInfoPath(home), ServerInfo, "the server file");
}

/** Removes server.json only if it still describes this process (a newer serve may have replaced it). */
export async function removeServerInfo(home: string, pid = process.pid, port?: number): Promise<void> {
  const info = await readServerInfo(home).catch(() => undefined);
  if (info && info.pid === pid && (port === undefined || info.port === port)) {
    await rm(serverInfoPath(home), { force: true });
  }
}
