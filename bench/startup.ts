// Benchmark section: CLI start-up, whole process, as a user meets it: the installed entry
// (dist/cli/bin.js, what package.json "bin" points at) answering `--version` and `--help`, next to bare
// `node -e 0` (the floor no CLI can go under). Rounds alternate the three commands so a busy moment
// hits all of them alike.
import { join } from "node:path";
import { measure } from "./lib/measure.ts";
import { ROOT } from "./lib/paths.ts";

const ROUNDS = 15;
const TARGET_MS = 120;

interface Sample {
  wallMs: number;
  cpuMs: number | null;
}

function sample(args: string[], env: NodeJS.ProcessEnv): Sample {
  const run = measure(process.execPath, args, env);
  if (run.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${run.stderr.slice(-1000)}`);
  return { wallMs: run.seconds * 1000, cpuMs: run.cpuSeconds === null ? null : run.cpuSeconds * 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function run(): Promise<string> {
  const bin = join(ROOT, "dist", "cli", "bin.js");
  // NODE_EXTRA_CA_CERTS (set on these machines) makes every Node process parse a CA bundle before it
  // runs anything, whatever the program; both environments are shown so that cost is visible.
  const environments = [
    { label: "this machine's environment", env: {} },
    { label: "without NODE_EXTRA_CA_CERTS", env: { NODE_EXTRA_CA_CERTS: "" } },
  ].filter((_, i) => i === 0 || process.env.NODE_EXTRA_CA_CERTS);
  const commands = [
    { label: "`node -e 0` (bare Node, the floor)", args: ["-e", "0"] },
    { label: "`idbridge --version`", args: [bin, "--version"] },
    { label: "`idbridge --help`", args: [bin, "--help"] },
  ];
  sample([bin, "--version"], {}); // warm the page cache (and Node ≥ 22's compile cache)
  const cases = environments.flatMap((environment) => commands.map((command) => ({ environment, command })));
  const samples: Sample[][] = cases.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, { environment, command }] of cases.entries()) {
      samples[i]!.push(sample(command.args, environment.env));
    }
  }
  const medianWall = (i: number) => median(samples[i]!.map((s) => s.wallMs));
  const rows = cases.map(({ environment, command }, i) => {
    const bare = command.args[0] === "-e";
    const floor = medianWall(i - commands.indexOf(command));
    const wall = medianWall(i);
    const cpus = samples[i]!.map((s) => s.cpuMs).filter((c): c is number => c !== null);
    const cpu = cpus.length > 0 ? `${median(cpus).toFixed(0)} ms` : "n/a";
    const verdict = bare ? "" : wall <= TARGET_MS ? "met" : "not met";
    return `| ${command.label} | ${environment.label} | ${wall.toFixed(0)} ms | ${cpu} | ${bare ? "" : `+${(wall - floor).toFixed(0)} ms`} | ${verdict} |`;
  });
  return [
    "## CLI start-up",
    "",
    `Whole process, timed from outside: the installed entry \`dist/cli/bin.js\` on Node ${process.version}, ` +
      `median of ${ROUNDS} alternating rounds. Commands import their modules only when they run, so these ` +
      "load commander and the command table only. Target ≤ 120 ms wall.",
    "",
    "| command | environment | wall (median) | CPU user+sys (median) | over bare Node | ≤ 120 ms |",
    "|---|---|---:|---:|---:|---|",
    ...rows,
  ].join("\n");
}
