#!/usr/bin/env node
// The installed `idbridge` command (package.json "bin", compiled to dist/cli/bin.js).
import nodeModule from "node:module";

// Node ≥ 22.1 can keep compiled bytecode of the CLI's modules on disk; later starts skip compiling
// them. Enabled before the CLI is imported, which is why that import is dynamic. Node 20 has no cache.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { main } = await import("./index.ts");

await main(process.argv);
