// `npm run bench`: generates the 1M-row CRM file, runs every benchmark section present in bench/
// (every bench/<name>.ts exports `run(): Promise<string>` returning markdown) and writes BENCHMARKS.md
// with the machine.
// `npm run bench -- prepare` runs only the named sections and prints them instead (BENCHMARKS.md untouched).
import { spawnSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join } from "node:path";
import { BENCH_ROWS, crmFile } from "./lib/crm-file.ts";
import { ROOT } from "./lib/paths.ts";

// Every bench/<name>.ts but this file is a section; prepare first (it generates the shared input), then by name.
function sections(): string[] {
  const names = readdirSync(join(ROOT, "bench"))
    .filter((file) => file.endsWith(".ts") && file !== "run.ts")
    .map((file) => file.slice(0, -3));
  return names.sort((a, b) => (a === "prepare" ? -1 : b === "prepare" ? 1 : a.localeCompare(b)));
}

async function main(): Promise<void> {
  const started = new Date();
  const only = process.argv.slice(2);
  // The start-up section runs the compiled CLI and prepare's workers start from dist/: build it from
  // the sources being measured, so a stale dist/ never stands in for them.
  const build = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { stdio: "inherit" });
  if (build.status !== 0) throw new Error("bench: npm run build failed");
  crmFile(BENCH_ROWS);
  const written: string[] = [];
  for (const name of only.length > 0 ? only : sections()) {
    const path = join(ROOT, "bench", `${name}.ts`);
    process.stderr.write(`bench: ${name}…\n`);
    const t0 = performance.now();
    try {
      const module = (await import(path)) as { run: () => Promise<string> };
      written.push(await module.run());
    } catch (error) {
      // One broken section must not cost the others their numbers.
      written.push(`## ${name}\n\nThis section failed: ${(error as Error).message.split("\n")[0]}\n`);
      process.stderr.write(`bench: ${name} failed: ${(error as Error).stack ?? error}\n`);
    }
    process.stderr.write(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  if (only.length > 0) {
    process.stdout.write(`${written.join("\n")}\n`);
    return;
  }
  const cpu = cpus()[0];
  const header = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/run.ts); rerun it to refresh. Numbers are from one run on this machine:",
    "",
    `- CPU: ${cpu?.model ?? "unknown"}, ${availableParallelism()} cores available`,
    `- RAM: ${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- Node: ${process.version} (${process.platform}/${process.arch})`,
    `- Command: \`npm run bench\` (= \`node --import tsx bench/run.ts\`), ${started.toISOString()}`,
    "",
  ];
  writeFileSync(join(ROOT, "BENCHMARKS.md"), `${[...header, ...written].join("\n").trimEnd()}\n`);
  process.stderr.write("bench: wrote BENCHMARKS.md\n");
}

await main();
