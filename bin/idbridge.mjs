#!/usr/bin/env node
// Thin launcher: registers tsx so the TypeScript sources run as they are (no build step to forget).
import { register } from "tsx/esm/api";
register();
const { main } = await import("../src/cli/index.ts");
await main(process.argv);
