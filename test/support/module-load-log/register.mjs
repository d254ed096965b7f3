// `node --import <this file> …` prints every module the program loads to stderr as "module-load <url>".
// Used by the CLI start-up test to show which modules `--help` and `--version` pull in.
import { register } from "node:module";

register(new URL("./hooks.mjs", import.meta.url));
