// Module customization hooks (node:module register) for register.mjs: logs, then defers to the next loader.
// The hooks run on their own thread from Node 22 on, and a program that ends with process.exit (as
// commander's --help does) can end before that thread's buffered stderr is flushed: write to fd 2 directly.
import { writeSync } from "node:fs";

export async function load(url, context, nextLoad) {
  if (!url.startsWith("node:")) writeSync(2, `module-load ${url}\n`);
  return nextLoad(url, context);
}
