import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { ROOT } from "./paths.ts";

export interface Measured {
  stdout: string;
  stderr: string;
  seconds: number;
  /** Peak resident set size of the child (and its threads) in MiB, when /usr/bin/time is there. */
  peakRssMiB: number | null;
  /** User + system CPU seconds of the child, when /usr/bin/time is there: comparable even on a busy machine. */
  cpuSeconds: number | null;
  status: number | null;
}

const TIME = "/usr/bin/time";

/** Runs a command to completion, timing it and (via GNU time -v) reading its peak RSS. */
export function measure(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Measured {
  const timed = existsSync(TIME);
  const started = performance.now();
  const run = spawnSync(timed ? TIME : command, timed ? ["-v", command, ...args] : args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr ?? "");
  const user = /User time \(seconds\): ([\d.]+)/.exec(run.stderr ?? "");
  const system = /System time \(seconds\): ([\d.]+)/.exec(run.stderr ?? "");
  return {
    stdout: run.stdout ?? "",
    stderr: run.stderr ?? "",
    seconds,
    peakRssMiB: rss ? Number(rss[1]) / 1024 : null,
    cpuSeconds: user && system ? Number(user[1]) + Number(system[1]) : null,
    status: run.status,
  };
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}
