import type { Command } from "commander";
import { DEFAULT_HOME, ENVIRONMENT } from "../config.ts";

/** `--home <dir>`, the same for every command: unset, IDBRIDGE_HOME and then `.idbridge` apply (config.ts). */
export function addHomeOption(command: Command, holds = "local cloud and iac state"): Command {
  return command.option(
    "--home <dir>",
    `directory of the ${holds} (default: $${ENVIRONMENT.home.name}, else ${DEFAULT_HOME})`,
  );
}
