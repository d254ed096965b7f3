// The CLI's side of src/config.ts: `idbridge --help` lists the variables and no command pins --home.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Command } from "commander";
import { describeEnvironment, ENVIRONMENT } from "../config.ts";
import { buildProgram } from "./index.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const names = Object.values(ENVIRONMENT).map((variable) => variable.name);

function commandsOf(command: Command): Command[] {
  return [command, ...command.commands.flatMap(commandsOf)];
}

describe("configuration in the CLI", () => {
  it("lists every user variable in `idbridge --help` and every variable in the README", () => {
    let help = "";
    const program = buildProgram().configureOutput({ writeOut: (text) => (help += text) });
    program.outputHelp();
    assert.ok(help.includes(describeEnvironment("user")), "--help carries the environment list");
    for (const variable of Object.values(ENVIRONMENT).filter((v) => v.audience === "user")) {
      assert.ok(help.includes(variable.name), `--help lists ${variable.name}`);
    }
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const missing = names.filter((name) => !readme.includes(`\`${name}\``));
    assert.deepEqual(missing, [], "README.md names every variable");
  });

  it("leaves --home unset on every command, so IDBRIDGE_HOME and then the default apply", () => {
    const withHome = commandsOf(buildProgram()).filter((command) =>
      command.options.some((option) => option.long === "--home"),
    );
    assert.ok(withHome.length >= 6, "serve, env, amc, up, plan, drift, destroy take --home");
    for (const command of withHome) {
      const home = command.options.find((option) => option.long === "--home");
      assert.equal(home?.defaultValue, undefined, `${command.name()} --home has no default of its own`);
    }
  });
});
