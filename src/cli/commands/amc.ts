import type { Command } from "commander";
import { CliError } from "../cli-error.ts";

// Placeholder until the command lands.
export function register(program: Command): void {
  program
    .command("amc")
    .description("(not built yet)")
    .action(() => {
      throw new CliError("'amc' is not built yet");
    });
}
