import type { Command } from "commander";
import { DEFAULT_SERVE_HOST, DEFAULT_SERVE_PORT, homeDir, parseByteCount } from "../../config.ts";
import { isLoopbackHost } from "../../lib/loopback.ts";
import { isProcessAlive } from "../../lib/process-alive.ts";
import { CliError } from "../cli-error.ts";
import { addHomeOption } from "../home-option.ts";

interface ServeOptions {
  port: string;
  host: string;
  home?: string;
  json?: boolean;
  maxBodyBytes?: string;
}

interface EnvOptions {
  home?: string;
  json?: boolean;
}

/** Single-quoted for POSIX shells (secrets and the AMC token contain '/', '+', '|'). */
const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export function register(program: Command): void {
  const serve = program
    .command("serve")
    .description(
      "serve the local cloud over AWS's wire protocols (S3, Glue, IAM, Entity Resolution, Clean Rooms, Cloud Control) and the AMC admin API",
    )
    .option("--port <port>", "port to listen on (0 picks a free one)", String(DEFAULT_SERVE_PORT))
    .option(
      "--host <host>",
      "address to bind; anything but loopback exposes the local cloud",
      DEFAULT_SERVE_HOST,
    );
  addHomeOption(serve, "local cloud (state, credentials.json)")
    .option("--json", "print the endpoint as JSON; access log lines go to stdout as JSON")
    .option(
      "--max-body-bytes <bytes>",
      "largest request body accepted, uploads included; larger ones get 413 (default: $IDBRIDGE_MAX_BODY_BYTES, else 5 GiB)",
    )
    .addHelpText(
      "after",
      "\nEvery request must be signed (SigV4) with the credentials in <home>/credentials.json;\n" +
        'point AWS tools at the server with: eval "$(idbridge env)"',
    )
    .action(async (options: ServeOptions) => {
      const { resolve } = await import("node:path");
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new CliError(`--port ${options.port} is not a port number`, "use 0-65535, e.g. --port 4566");
      }
      const home = resolve(homeDir(options.home));
      const { LocalCloud, StoreInUseError } = await import("../../cloud/index.ts");
      const { startServer, credentialsPath } = await import("../../serve/index.ts");
      const maxBodyBytes =
        options.maxBodyBytes === undefined
          ? undefined
          : parseByteCount(options.maxBodyBytes, "--max-body-bytes");
      let cloud: Awaited<ReturnType<typeof LocalCloud.open>>;
      try {
        cloud = await LocalCloud.open({ home });
      } catch (error) {
        if (error instanceof StoreInUseError) {
          throw new CliError(
            `the local cloud at ${home} is already open in ${error.pid === undefined ? "another process" : `process ${error.pid}`}`,
            "a serve may already be running for it (idbridge env shows its endpoint); stop it, or pass another --home",
          );
        }
        throw error;
      }
      const log = (entry: object) =>
        (options.json ? process.stdout : process.stderr).write(`${JSON.stringify(entry)}\n`);
      let server: Awaited<ReturnType<typeof startServer>>;
      try {
        server = await startServer({ cloud, home, host: options.host, port, log, maxBodyBytes });
      } catch (error) {
        await cloud.close();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EADDRINUSE") {
          throw new CliError(
            `port ${port} on ${options.host} is already in use`,
            "stop the other server or pass --port <another port> (0 picks a free one)",
          );
        }
        if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
          throw new CliError(`cannot bind ${options.host}: no such local address`, "use --host 127.0.0.1");
        }
        throw error;
      }
      // Anything but a loopback address exposes the local cloud.
      if (!isLoopbackHost(options.host)) {
        process.stderr.write(
          `warning: listening on ${options.host}, not loopback: anyone who can reach this address and holds the credentials can use the local cloud\n`,
        );
      }
      const credentials = credentialsPath(home);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ url: server.url, port: server.port, home, credentialsFile: credentials })}\n`,
        );
      } else {
        process.stderr.write(
          `idbridge local cloud on ${server.url}\n` +
            `  credentials: ${credentials} (mode 0600)\n` +
            `  use it from a shell: eval "$(idbridge env --home ${shellQuote(home)})"\n` +
            "  Ctrl-C stops it\n",
        );
      }
      await new Promise<void>((done) => {
        let stopping = false;
        const stop = (signal: NodeJS.Signals) => {
          if (stopping) return;
          stopping = true;
          if (!options.json) process.stderr.write(`\n${signal}: stopping\n`);
          server
            .close()
            .then(() => cloud.close())
            .finally(() => {
              process.off("SIGINT", stop);
              process.off("SIGTERM", stop);
              done();
            });
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });

  const env = program
    .command("env")
    .description(
      "print shell exports that point AWS SDKs, the AWS CLI and Alchemy at a running `idbridge serve`",
    );
  addHomeOption(env, "local cloud")
    .option("--json", "print the variables as a JSON object")
    .action(async (options: EnvOptions) => {
      const { resolve } = await import("node:path");
      const { readCredentials, readServerInfo } = await import("../../serve/index.ts");
      const home = resolve(homeDir(options.home));
      const [credentials, info] = await Promise.all([readCredentials(home), readServerInfo(home)]);
      // server.json outlives a serve killed with SIGKILL; its pid tells whether it still runs.
      if (!credentials || !info || !isProcessAlive(info.pid)) {
        throw new CliError(
          `no running idbridge serve for ${home}`,
          `start one first: idbridge serve --home ${shellQuote(home)} (then run idbridge env again)`,
        );
      }
      const variables: Record<string, string> = {
        AWS_ENDPOINT_URL: info.url,
        // Alchemy reads the service-specific name; the SDK's own is ..._CLOUDCONTROL.
        AWS_ENDPOINT_URL_CLOUDCONTROLAPI: info.url,
        AWS_ENDPOINT_URL_CLOUDCONTROL: info.url,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_REGION: credentials.region,
        IDBRIDGE_AMC_ENDPOINT: info.url,
        IDBRIDGE_AMC_TOKEN: credentials.amcToken,
      };
      if (options.json) {
        process.stdout.write(`${JSON.stringify(variables, null, 2)}\n`);
        return;
      }
      for (const [name, value] of Object.entries(variables))
        process.stdout.write(`export ${name}=${shellQuote(value)}\n`);
    });
}
