#!/usr/bin/env node
// Development launcher: the CLI straight from the TypeScript sources through tsx, as the tests and the
// bench run it. The installed `idbridge` is the compiled dist/cli/bin.js (package.json "bin").
import { register } from "tsx/esm/api";
register();
const { main } = await import("../src/cli/index.ts");
await main(process.argv);
