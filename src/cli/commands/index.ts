import type { Command } from "commander";
import { register as amc } from "./amc.ts";
import { register as demo } from "./demo.ts";
import { register as evaluate } from "./evaluate.ts";
import { register as init } from "./init.ts";
import { register as match } from "./match.ts";
import { register as prepare } from "./prepare.ts";
import { register as rules } from "./rules.ts";
import { register as serve } from "./serve.ts";
import { register as stack } from "./stack.ts";
import { register as synth } from "./synth.ts";

// Each module registers its subcommand(s) and imports its heavy parts (DuckDB, AWS SDK) lazily
// inside the action, so `idbridge --help` starts fast.
const registrations: Array<(program: Command) => void> = [
  demo,
  prepare,
  synth,
  match,
  evaluate,
  rules,
  serve,
  amc,
  stack,
  init,
];

export function registerCommands(program: Command): void {
  for (const register of registrations) register(program);
}
