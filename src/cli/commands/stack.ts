import type { Command } from "commander";
import { CliError } from "../cli-error.ts";
import { addHomeOption } from "../home-option.ts";

interface StackOptions {
  stage?: string;
  backend?: string;
  endpoint?: string;
  home?: string;
  json?: boolean;
}

const PHASES = {
  up: "create, update, replace or delete resources so the cloud matches the stack file",
  plan: "show what up would do, property by property, without changing anything",
  drift: "compare what up last applied with the live resources, property by property",
  destroy: "delete every resource the stack's app and stage created",
} as const;

export function register(program: Command): void {
  for (const [phase, description] of Object.entries(PHASES) as Array<[keyof typeof PHASES, string]>) {
    const command = program
      .command(`${phase} <stack>`)
      .description(`${description} (stack: a .ts file calling idbridge.app(...) … app.finalize())`)
      .option("--stage <stage>", "stage, overriding the stack file's")
      .option(
        "--backend <backend>",
        "local (embedded cloud) or aws (Cloud Control), overriding the stack file's",
      )
      .option("--endpoint <url>", "Cloud Control endpoint for --backend aws, e.g. idbridge serve's URL");
    addHomeOption(command)
      .option("--json", "machine-readable result on stdout")
      .action(async (stack: string, options: StackOptions) => {
        if (options.backend && options.backend !== "local" && options.backend !== "aws") {
          throw new CliError(`--backend must be local or aws, not "${options.backend}"`);
        }
        const { runStack, StackError } = await import("../../iac/run-stack.ts");
        const { formatDrift, formatResources } = await import("../../iac/format.ts");
        const { StateLockedError } = await import("../../iac/lock.ts");
        const { PropsValidationError } = await import("../../iac/validate.ts");
        let results: Awaited<ReturnType<typeof runStack>>;
        try {
          results = await runStack(stack, phase, {
            ...(options.stage ? { stage: options.stage } : {}),
            ...(options.backend ? { backend: options.backend as "local" | "aws" } : {}),
            ...(options.endpoint ? { endpoint: options.endpoint } : {}),
            ...(options.home ? { home: options.home } : {}),
            ...(options.json ? { log: () => {} } : {}),
          });
        } catch (error) {
          if (error instanceof StackError) throw new CliError(error.message);
          if (error instanceof StateLockedError)
            throw new CliError(error.message, "only one up/destroy per app and stage at a time");
          if (error instanceof PropsValidationError) throw new CliError(`${stack}: ${error.message}`);
          throw error;
        }
        if (options.json) {
          process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        } else {
          const verb = { up: "applied", plan: "plan for", drift: "drift of", destroy: "destroyed" }[phase];
          for (const result of results) {
            process.stdout.write(
              `${phase === "drift" ? formatDrift(result) : formatResources(result, verb)}\n`,
            );
          }
        }
        if (phase === "drift" && results.some((r) => r.drift.some((d) => d.status !== "in-sync"))) {
          process.exitCode = 2;
        }
      });
  }
}
