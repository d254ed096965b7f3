import type { Command } from "commander";
import { CliError } from "../cli-error.ts";

interface InitOptions {
  from: string;
  out: string;
  name: string;
  force?: boolean;
}

export function register(program: Command): void {
  program
    .command("init")
    .description(
      "write a commented starter stack for the AMC identity route (bucket, Glue, role, schema mapping, SOURCE namespace, association)",
    )
    .option("--from <dir>", "directory written by `idbridge prepare`", "prepared")
    .option("--out <file>", "stack file to write", "stack.ts")
    .option("--name <app>", "app name (state: <home>/state/<app>/<stage>/)", "amc-identity")
    .option("--force", "overwrite an existing stack file")
    .action(async (options: InitOptions) => {
      const { existsSync } = await import("node:fs");
      const { createRequire } = await import("node:module");
      const { dirname, relative, resolve } = await import("node:path");
      const writeFileAtomic = (await import("write-file-atomic")).default;
      const { readPrepared } = await import("../../iac/prepared.ts");
      const { installedEntryPoints, starterStack } = await import("../../iac/starter-stack.ts");
      const { inModulePackage } = await import("../../iac/run-stack.ts");
      let out = resolve(options.out);
      // Top-level await needs ESM: outside a "type": "module" package a .ts stack must be .mts.
      if (out.endsWith(".ts") && !inModulePackage(out)) out = `${out.slice(0, -3)}.mts`;
      if (existsSync(out) && !options.force) {
        throw new CliError(
          `${relative(process.cwd(), out)} already exists`,
          "pass --force to overwrite it, or --out another.ts",
        );
      }
      let tables: ReturnType<typeof readPrepared>;
      try {
        tables = readPrepared(resolve(options.from));
      } catch (error) {
        throw new CliError(
          (error as Error).message,
          "run `idbridge prepare <your file> --out prepared` first",
        );
      }
      let preparedDir = relative(dirname(out), resolve(options.from)) || ".";
      if (!preparedDir.startsWith(".")) preparedDir = `./${preparedDir}`;
      // The stack imports "idbridge" where it resolves (this repository, or a project depending on
      // it); elsewhere it imports this installation's files directly.
      let importFrom: { root: string; control: string } | undefined;
      try {
        createRequire(out).resolve("idbridge/package.json");
      } catch {
        importFrom = installedEntryPoints();
      }
      const text = starterStack({
        appName: options.name,
        preparedDir: `${preparedDir}/`,
        ...(importFrom ? { importFrom } : {}),
      });
      await writeFileAtomic(out, text);
      process.stdout.write(
        `wrote ${relative(process.cwd(), out)} for ${tables.length} prepared table${tables.length === 1 ? "" : "s"} (${tables.map((t) => t.name).join(", ")})\n` +
          `next: idbridge plan ${relative(process.cwd(), out)} && idbridge up ${relative(process.cwd(), out)}\n`,
      );
    });
}
