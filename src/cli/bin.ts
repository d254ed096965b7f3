#!/usr/bin/env node
// The installed `idbridge` command (package.json "bin", compiled to dist/cli/bin.js).
import { main } from "./index.ts";

await main(process.argv);
