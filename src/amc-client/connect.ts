import { resolve } from "node:path";
import { homeDir } from "../config.ts";
import { isProcessAlive } from "../lib/process-alive.ts";
import { AMC_ENV, AmcClient, type AmcCredentials } from "./client.ts";
import { AmcConfigError } from "./errors.ts";

export interface AmcConnection {
  client: AmcClient;
  /** "local" (idbridge serve, running or started for this command) or "amc". */
  target: "local" | "amc";
  close(): Promise<void>;
}

/** Credentials for real AMC from the environment; names every missing variable. */
export function credentialsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  instanceId?: string,
): AmcCredentials {
  const missing: string[] = [];
  const need = (key: keyof typeof AMC_ENV) => {
    const value = env[AMC_ENV[key]];
    if (!value) missing.push(AMC_ENV[key]);
    return value ?? "";
  };
  const credentials: AmcCredentials = {
    accessToken: need("accessToken"),
    clientId: need("clientId"),
    accountId: need("accountId"),
    instanceId: instanceId ?? need("instanceId"),
    marketplaceId: need("marketplaceId"),
  };
  if (missing.length > 0) {
    throw new AmcConfigError(
      `real AMC needs ${missing.join(", ")} in the environment`,
      `export ${AMC_ENV.accessToken} (a Login with Amazon access token), ${AMC_ENV.clientId} (your Amazon Ads API client id), ${AMC_ENV.accountId} (the AMC account id), ${AMC_ENV.marketplaceId} (e.g. ATVPDKIKX0DER for amazon.com) and ${AMC_ENV.instanceId}; see README "AMC API"`,
    );
  }
  return credentials;
}

/**
 * Connects to real AMC when `endpoint` is given, else to the local cloud at `home`: the running
 * `idbridge serve` if there is one, otherwise a server started in this process for this command.
 */
export async function connectAmc(options: {
  endpoint?: string;
  home?: string;
  instanceId?: string;
}): Promise<AmcConnection> {
  if (options.endpoint) {
    const credentials = credentialsFromEnv(process.env, options.instanceId);
    return {
      client: new AmcClient({ endpoint: options.endpoint, ...credentials }),
      target: "amc",
      close: async () => {},
    };
  }
  const home = resolve(homeDir(options.home));
  const { readCredentials, readServerInfo } = await import("../serve/credentials.ts");
  const info = await readServerInfo(home);
  if (info && isProcessAlive(info.pid)) {
    const credentials = await readCredentials(home);
    if (credentials) {
      const client = new AmcClient({
        endpoint: info.url,
        ...(await localIdentity(credentials.amcToken, options.instanceId)),
      });
      return { client, target: "local", close: async () => {} };
    }
  }
  const { LocalCloud } = await import("../cloud/index.ts");
  const { startServer } = await import("../serve/index.ts");
  const cloud = await LocalCloud.open({ home });
  try {
    const server = await startServer({ cloud, home, port: 0 });
    const client = new AmcClient({
      endpoint: server.url,
      ...(await localIdentity(server.amcToken, options.instanceId)),
    });
    return {
      client,
      target: "local",
      close: async () => {
        await server.close();
        await cloud.close();
      },
    };
  } catch (error) {
    await cloud.close();
    throw error;
  }
}

async function localIdentity(accessToken: string, instanceId: string | undefined): Promise<AmcCredentials> {
  const { LOCAL_AMC } = await import("../cloud/local-amc.ts");
  return {
    accessToken,
    clientId: LOCAL_AMC.clientId,
    accountId: LOCAL_AMC.accountId,
    marketplaceId: LOCAL_AMC.marketplaceId,
    instanceId: instanceId ?? LOCAL_AMC.instanceId,
  };
}
