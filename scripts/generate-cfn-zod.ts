/**
 * Writes src/schemas/aws/generated/*.ts from the snapshot of AWS's CloudFormation resource schemas
 * (src/schemas/aws/cfn-schemas.json). Run: npm run schemas:generate
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateModules, type Snapshot } from "../src/schemas/aws/codegen.ts";

const dir = fileURLToPath(new URL("../src/schemas/aws/", import.meta.url));
const snapshot = JSON.parse(readFileSync(join(dir, "cfn-schemas.json"), "utf8")) as Snapshot;
for (const [file, text] of generateModules(snapshot)) {
  const target = join(dir, "generated", file);
  writeFileSync(`${target}.tmp`, text);
  renameSync(`${target}.tmp`, target);
  console.log(`wrote src/schemas/aws/generated/${file}`);
}
