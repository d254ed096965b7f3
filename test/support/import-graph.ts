import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

/** One import of the project's own files: `from` imports `to`, both relative to the repository root with "/". */
export interface ImportEdge {
  from: string;
  to: string;
}

const posix = (path: string) => path.split(sep).join("/");

function* typeScriptFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* typeScriptFiles(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

/**
 * Every relative import (static, dynamic, `export … from`, `import type`) of the .ts files under
 * `roots`, read with the TypeScript compiler's own pre-processor. Package imports are left out.
 */
export function importGraph(repoRoot: string, roots: string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const root of roots) {
    for (const file of typeScriptFiles(resolve(repoRoot, root))) {
      const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
      for (const { fileName } of info.importedFiles) {
        if (!fileName.startsWith(".")) continue;
        edges.push({
          from: posix(relative(repoRoot, file)),
          to: posix(relative(repoRoot, resolve(dirname(file), fileName))),
        });
      }
    }
  }
  return edges;
}
