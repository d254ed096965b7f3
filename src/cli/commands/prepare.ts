import type { Command } from "commander";
import { CliError } from "../cli-error.ts";

// Placeholder until the command lands.
export function register(program: Command): void {
  program
    .command("prepare")
    .description("(not built yet)")
    .action(() => {
      throw new CliError("'prepare' is not built yet");
    });
}
