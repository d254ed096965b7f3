import type { Command } from "commander";
import { CliError } from "../cli-error.ts";

// Placeholder until the command lands.
export function register(program: Command): void {
  program
    .command("demo")
    .description("(not built yet)")
    .action(() => {
      throw new CliError("'demo' is not built yet");
    });
}
