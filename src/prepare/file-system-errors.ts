import { PrepareError } from "./errors.ts";

// errno codes (Linux errno(3)) that mean "the disk cannot take more": full, over quota, or past the
// process's file size limit (RLIMIT_FSIZE, `ulimit -f`).
const NO_SPACE = new Set(["ENOSPC", "EDQUOT", "EFBIG"]);
const NOT_ALLOWED: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
};
// DuckDB reports its own write failures as text ("IO Error: Could not write file …: No space left on device").
const DUCKDB_NO_SPACE = /No space left on device|File too large|Disk quota exceeded/;

/**
 * A file system failure as a PrepareError that names the file or folder and says what to do; any other
 * error is returned as it is. Paths only: no value of the data is part of an errno error.
 */
export function fileSystemError(
  error: unknown,
  where: { input: string; inputPath: string; outDir: string },
): unknown {
  if (error instanceof PrepareError) return error;
  const { code, path } = error as NodeJS.ErrnoException;
  const message = (error as Error | undefined)?.message ?? "";
  if ((code && NO_SPACE.has(code)) || DUCKDB_NO_SPACE.test(message)) {
    return new PrepareError(
      `--out ${where.outDir}: cannot write ${path ?? "the output"}: no space left (${code ?? "disk full"}); nothing was written`,
      "free space on that disk, or choose another --out on a disk with room",
    );
  }
  const reason = code ? NOT_ALLOWED[code] : undefined;
  if (reason) {
    return path === where.inputPath
      ? new PrepareError(
          `${where.input}: cannot be read (${reason})`,
          "check the file's permissions (ls -l), or copy it somewhere you can read",
        )
      : new PrepareError(
          `--out ${where.outDir}: cannot write ${path ?? "there"} (${reason})`,
          code === "EROFS"
            ? "choose an --out on a writable disk"
            : "choose another --out, or give yourself write permission on that folder",
        );
  }
  return error;
}
