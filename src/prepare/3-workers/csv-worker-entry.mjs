// Workers start without the parent's loader hooks when the CLI registered tsx programmatically.
import { register } from "tsx/esm/api";

register();
await import("./csv-worker.ts");
