import { ServeConfigError } from "./errors.ts";

/**
 * The default cap on a request body: S3's largest single PUT, 5 GiB ("Upload an object in a single
 * operation by using the AWS SDKs, REST API, or AWS CLI – With a single PUT operation, you can upload
 * a single object up to 5 GB in size", Amazon S3 user guide, upload-objects).
 */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 ** 3;

/** The environment variable that sets serve's body cap (what `idbridge serve --max-body-bytes` sets too). */
export const MAX_BODY_BYTES_VARIABLE = "IDBRIDGE_MAX_BODY_BYTES";

/** A body cap given as a whole number of bytes; `source` names where it came from for the error. */
export function parseMaxBodyBytes(text: string, source: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new ServeConfigError(
      `${source} must be a whole number of bytes greater than 0`,
      `e.g. ${source.startsWith("--") ? `${source} ` : `${source}=`}${16 * 1024 * 1024} for 16 MiB`,
    );
  }
  return value;
}

/** The body cap from the environment, or the default. */
export function maxBodyBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[MAX_BODY_BYTES_VARIABLE];
  return text === undefined || text === ""
    ? DEFAULT_MAX_BODY_BYTES
    : parseMaxBodyBytes(text, MAX_BODY_BYTES_VARIABLE);
}
