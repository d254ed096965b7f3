import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { readCredentials } from "../../src/serve/index.ts";

/** `idbridge serve` from the sources, as the tests and the bench run the CLI. */
const CLI = new URL("../../bin/idbridge.mjs", import.meta.url).pathname;

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  credentials: { accessKeyId: string; secretAccessKey: string; region: string };
  /** What the process wrote to stderr so far (for a failure message). */
  stderr(): string;
}

/** Starts `idbridge serve` on a free loopback port over `home`; resolves once it printed its endpoint. */
export async function startServe(home: string): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", "--home", home, "--json"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", (first) => {
      lines.close();
      child.removeListener("exit", early);
      resolve(first);
    });
    const early = (code: number | null) =>
      reject(new Error(`idbridge serve exited with ${code} before listening: ${stderr}`));
    child.once("exit", early);
  });
  // Log lines (if any) must not fill the pipe and block the server.
  child.stdout?.resume();
  const { url } = JSON.parse(line) as { url: string };
  const credentials = await readCredentials(home);
  if (!credentials) throw new Error(`idbridge serve wrote no credentials under ${home}`);
  return { child, url, credentials, stderr: () => stderr };
}

/** kill -9, resolved once the process is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await gone;
}
