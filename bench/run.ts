// `npm run bench`: generates the 1M-row CRM file, runs every benchmark section present in bench/
// (each exports `run(): Promise<string>` returning markdown) and writes BENCHMARKS.md with the machine.
// `npm run bench -- prepare` runs only the named sections and prints them instead (BENCHMARKS.md untouched).
import { existsSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join } from "node:path";
import { BENCH_ROWS, crmFile } from "./lib/crm-file.ts";
import { ROOT } from "./lib/paths.ts";

const SECTIONS = ["prepare", "match", "serve-load", "demo"];

async function main(): Promise<void> {
  const started = new Date();
  const only = process.argv.slice(2);
  crmFile(BENCH_ROWS);
  const sections: string[] = [];
  for (const name of only.length > 0 ? only : SECTIONS) {
    const path = join(ROOT, "bench", `${name}.ts`);
    if (!existsSync(path)) continue;
    process.stderr.write(`bench: ${name}…\n`);
    const t0 = performance.now();
    const module = (await import(path)) as { run: () => Promise<string> };
    sections.push(await module.run());
    process.stderr.write(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  if (only.length > 0) {
    process.stdout.write(`${sections.join("\n")}\n`);
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
  writeFileSync(join(ROOT, "BENCHMARKS.md"), `${[...header, ...sections].join("\n").trimEnd()}\n`);
  process.stderr.write("bench: wrote BENCHMARKS.md\n");
}

await main();
