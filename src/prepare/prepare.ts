import { PrepareError } from "./errors.ts";
import type { PrepareOptions, PrepareResult } from "./types.ts";

export async function prepare(options: PrepareOptions): Promise<PrepareResult> {
  throw new PrepareError(`prepare is being built (${options.input})`);
}
