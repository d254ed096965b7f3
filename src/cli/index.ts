import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { ConfigError, describeEnvironment, setting } from "../config.ts";
import { ServeFileError } from "../serve/errors.ts";
import { CliError } from "./cli-error.ts";
import { registerCommands } from "./commands/index.ts";

export function buildProgram(): Command {
  const program = new Command("idbridge")
    .description(
      "Bring first-party identity data into Amazon Marketing Cloud through AWS Clean Rooms and Entity Resolution.\n" +
        "Runs offline on an embedded local cloud, then unchanged against AWS.",
    )
    .version(packageVersion())
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", `\nEnvironment (every command):\n${describeEnvironment("user")}`)
    .exitOverride();
  registerCommands(program);
  return program;
}

/** This installation's version: package.json sits two levels up from src/cli/ and from dist/cli/ alike. */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return (manifest as { version: string }).version;
}

export async function main(argv: string[]): Promise<void> {
  exitQuietlyOnClosedPipe();
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = reportFailure(error);
  }
}

function reportFailure(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode; // commander already printed it
  // Library errors that carry their own hint are rendered like the CLI's own.
  if (error instanceof CliError || error instanceof ServeFileError || error instanceof ConfigError) {
    process.stderr.write(`idbridge: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  hint: ${error.hint}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
  const known = error as { name?: string; message?: string };
  process.stderr.write(
    `idbridge: ${known.name && known.name !== "Error" ? `${known.name}: ` : ""}${known.message ?? String(error)}\n`,
  );
  if (setting("debug")) process.stderr.write(`${(error as Error).stack ?? ""}\n`);
  return 1;
}

// `idbridge … | head` closes stdout early; a CLI should stop quietly then, not crash with EPIPE.
function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}
