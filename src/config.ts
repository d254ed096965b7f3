/**
 * idbridge's settings: every default and every environment variable it reads, defined once here. The
 * CLI's `--help` and the README's "Configuration" table are written from `ENVIRONMENT`; code reads a
 * variable only through `setting(...)`, never `process.env.IDBRIDGE_*` itself. To add one: an entry in
 * `ENVIRONMENT` (the `setting` type then knows its name and value type).
 */

/** The directory of the local cloud (store, credentials.json, server.json) and of iac state. */
export const DEFAULT_HOME = ".idbridge";
/** The only region AMC's identity route runs in; also the local cloud's. */
export const DEFAULT_REGION = "us-east-1";
export const DEFAULT_STAGE = "dev";
export const DEFAULT_SERVE_HOST = "127.0.0.1";
export const DEFAULT_SERVE_PORT = 4566;
/**
 * The largest request body `idbridge serve` takes by default: S3's largest single PUT ("With a single
 * PUT operation, you can upload a single object up to 5 GB in size", Amazon S3 User Guide, "Uploading
 * objects").
 */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 ** 3;

type Env = Readonly<Record<string, string | undefined>>;

/** Who sets it: users of the CLI and library, the benchmark, or the test suite. */
export type Audience = "user" | "bench" | "test";

export interface Variable<T> {
  readonly name: string;
  readonly audience: Audience;
  /** One line for `--help` and the README. */
  readonly summary: string;
  /** The default as users read it; none for a switch that is off unless set. */
  readonly shownDefault?: string;
  read(env: Env): T;
}

const present = (env: Env, name: string): string | undefined => {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
};

/** A string with a default (unset or empty means the default). */
function text(name: string, audience: Audience, fallback: string, summary: string): Variable<string> {
  return { name, audience, summary, shownDefault: fallback, read: (env) => present(env, name) ?? fallback };
}

/** A string that is absent unless set; the reader supplies the default (e.g. a path relative to it). */
function optionalText(
  name: string,
  audience: Audience,
  summary: string,
  shownDefault?: string,
): Variable<string | undefined> {
  return {
    name,
    audience,
    summary,
    ...(shownDefault ? { shownDefault } : {}),
    read: (env) => present(env, name),
  };
}

/** A switch: on when set to anything but "" or "0". */
function flag(name: string, audience: Audience, summary: string): Variable<boolean> {
  return { name, audience, summary, read: (env) => (present(env, name) ?? "0") !== "0" };
}

function integer(name: string, audience: Audience, fallback: number, summary: string): Variable<number> {
  return {
    name,
    audience,
    summary,
    shownDefault: String(fallback),
    read(env) {
      const raw = present(env, name);
      if (raw === undefined) return fallback;
      const value = Number(raw);
      if (!Number.isSafeInteger(value)) {
        throw new ConfigError(
          `${name} must be an integer (got "${raw}")`,
          `unset it or set e.g. ${name}=${fallback}`,
        );
      }
      return value;
    },
  };
}

/** A whole number of bytes above 0, from a variable or an option (`source` names it in the error). */
export function parseByteCount(raw: string, source: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) {
    const example = source.startsWith("--") ? `${source} 16777216` : `${source}=16777216`;
    throw new ConfigError(
      `${source} must be a whole number of bytes greater than 0 (got "${raw}")`,
      `e.g. ${example} for 16 MiB`,
    );
  }
  return value;
}

function byteCount(name: string, audience: Audience, fallback: number, summary: string): Variable<number> {
  return {
    name,
    audience,
    summary,
    shownDefault: String(fallback),
    read: (env) => {
      const raw = present(env, name);
      return raw === undefined ? fallback : parseByteCount(raw, name);
    },
  };
}

/** A setting with a value it cannot use; `hint` says what to set instead. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** Every variable idbridge reads (and the two `idbridge env` writes for scripts), by key. */
export const ENVIRONMENT = {
  home: text(
    "IDBRIDGE_HOME",
    "user",
    DEFAULT_HOME,
    "directory of the local cloud and iac state (--home overrides it)",
  ),
  stage: text(
    "IDBRIDGE_STAGE",
    "user",
    DEFAULT_STAGE,
    "stage of iac apps (--stage or the stack file overrides it)",
  ),
  prepared: optionalText(
    "IDBRIDGE_PREPARED",
    "user",
    "prepared directory for a stack written by `idbridge init`",
  ),
  debug: flag("IDBRIDGE_DEBUG", "user", "print the stack trace of an unexpected error"),
  amcGraphPeople: integer(
    "IDBRIDGE_AMC_GRAPH_PEOPLE",
    "user",
    20_000,
    "people in the local AMC's synthetic identity graph",
  ),
  amcGraphSeed: integer("IDBRIDGE_AMC_GRAPH_SEED", "user", 42, "seed of that identity graph"),
  amcEndpoint: optionalText(
    "IDBRIDGE_AMC_ENDPOINT",
    "user",
    "set by `idbridge env`: the local AMC API, for your scripts",
  ),
  amcToken: optionalText("IDBRIDGE_AMC_TOKEN", "user", "set by `idbridge env`: its bearer token"),
  maxBodyBytes: byteCount(
    "IDBRIDGE_MAX_BODY_BYTES",
    "user",
    DEFAULT_MAX_BODY_BYTES,
    "largest request body `idbridge serve` accepts, uploads included; bigger ones get 413 (--max-body-bytes overrides it)",
  ),
  noNative: flag("IDBRIDGE_NO_NATIVE", "user", "prepare without the native addon (same output, slower)"),
  noPipe: flag("IDBRIDGE_NO_PIPE", "user", "Parquet input without a named pipe (same output, slower)"),
  noWorkerBundle: flag(
    "IDBRIDGE_NO_WORKER_BUNDLE",
    "user",
    "prepare's workers load the sources, not a bundle",
  ),
  nativeVerbose: flag(
    "IDBRIDGE_NATIVE_VERBOSE",
    "user",
    "show the compiler's output as the install builds the addon",
  ),
  benchTargets: integer(
    "IDBRIDGE_BENCH_TARGETS",
    "bench",
    10_000_000,
    "largest TARGET size of the match benchmark (grows 100k, 1M, 10M up to it)",
  ),
  benchMatchRounds: integer(
    "IDBRIDGE_BENCH_MATCH_ROUNDS",
    "bench",
    3,
    "rounds of the match benchmark's timed runs",
  ),
  benchCrashKills: integer(
    "IDBRIDGE_BENCH_CRASH_KILLS",
    "bench",
    50,
    "kill -9s of idbridge serve in the crash soak (mixed writes)",
  ),
  benchSources: integer("IDBRIDGE_BENCH_SOURCES", "bench", 1_000_000, "SOURCE size of the match benchmark"),
  benchDir: optionalText(
    "IDBRIDGE_BENCH_DIR",
    "bench",
    "where the match benchmark caches its generated inputs",
    "bench/.work/match",
  ),
  febrlDir: optionalText("IDBRIDGE_FEBRL_DIR", "bench", "the febrl4 data set", "../shared/data/febrl4"),
  sharedBench: optionalText(
    "IDBRIDGE_SHARED_BENCH",
    "bench",
    "the shared benchmark generator and baselines",
    "../shared/bench",
  ),
  serveLoadRole: optionalText(
    "IDBRIDGE_SERVE_LOAD_ROLE",
    "bench",
    "set by the serve load benchmark on the client processes it starts",
  ),
  keepScreenshot: optionalText(
    "IDBRIDGE_KEEP_SCREENSHOT",
    "test",
    "file the demo's browser test saves its screenshot of report.html to",
  ),
} as const;

type Environment = typeof ENVIRONMENT;
export type SettingKey = keyof Environment;
export type SettingValue<K extends SettingKey> = ReturnType<Environment[K]["read"]>;

/** The value of one setting: its variable when set, else its default. */
export function setting<K extends SettingKey>(key: K, env: Env = process.env): SettingValue<K> {
  return ENVIRONMENT[key].read(env) as SettingValue<K>;
}

/** The local cloud's home: the given one, else IDBRIDGE_HOME, else `.idbridge` (relative to the cwd). */
export const homeDir = (given?: string, env: Env = process.env): string => given ?? setting("home", env);

/** The AWS region for the aws backend: the given one, else AWS_REGION, else us-east-1. */
export const awsRegion = (given?: string, env: Env = process.env): string =>
  given ?? present(env, "AWS_REGION") ?? DEFAULT_REGION;

/** The variables one audience sets, as aligned `NAME  summary (default …)` lines. */
export function describeEnvironment(audience: Audience = "user"): string {
  const variables = Object.values(ENVIRONMENT).filter((variable) => variable.audience === audience);
  const width = Math.max(...variables.map((variable) => variable.name.length));
  return variables
    .map(
      (variable) =>
        `  ${variable.name.padEnd(width)}  ${variable.summary}${variable.shownDefault === undefined ? "" : ` [${variable.shownDefault}]`}`,
    )
    .join("\n");
}
