import type { Command } from "commander";

export function register(program: Command): void {
  const rules = program.command("rules").description("ID mapping rule sets (ER ruleBasedProperties)");
  rules
    .command("default")
    .description("print the default waterfall as JSON, ready for `idbridge match --rules`")
    .action(async () => {
      const { defaultRules } = await import("../../match/index.ts");
      process.stdout.write(`${JSON.stringify(defaultRules, null, 2)}\n`);
    });
}
