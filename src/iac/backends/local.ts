import { randomUUID } from "node:crypto";
import { AwsError } from "../../cloud/aws-error.ts";
import { type AwsService, LOCAL_ACCOUNT_ID, LOCAL_REGION, type RequestContext } from "../../cloud/service.ts";
import { awsObjects, localObjects, type ObjectPort } from "../objects.ts";
import { CloudControlCallError, type CloudControlPort } from "../port.ts";
import { awsPort } from "./aws.ts";

/** The local cloud as iac needs it: its services, keyed by signing name. */
export interface LocalCloudLike {
  readonly services: Readonly<Record<string, AwsService>>;
}

/**
 * Cloud Control of an in-process local cloud. `close` closes nothing: whoever opened the cloud
 * closes it (see openLocalPort for the case where iac opens it itself).
 */
export function localPort(cloud: LocalCloudLike): CloudControlPort {
  const service = cloud.services.cloudcontrolapi;
  if (!service) throw new Error("this local cloud has no cloudcontrolapi service");
  const context = (): RequestContext => ({
    accountId: LOCAL_ACCOUNT_ID,
    region: LOCAL_REGION,
    principal: "idbridge-iac",
    requestId: randomUUID(),
  });
  // The service's handlers return the operation's output shape, which is the SDK's output shape.
  const call = async <T>(operation: string, input: object): Promise<T> => {
    const handler = service.operations[operation];
    if (!handler) throw new Error(`the local cloudcontrolapi service has no ${operation}`);
    try {
      return (await handler(input as Record<string, unknown>, context())) as T;
    } catch (error) {
      if (error instanceof AwsError) throw new CloudControlCallError(error.code, error.message);
      throw error;
    }
  };
  return {
    backend: "local",
    createResource: (input) => call("CreateResource", input),
    getResource: (input) => call("GetResource", input),
    updateResource: (input) => call("UpdateResource", input),
    deleteResource: (input) => call("DeleteResource", input),
    getResourceRequestStatus: (input) => call("GetResourceRequestStatus", input),
    listResources: (input) => call("ListResources", input),
    close: async () => {},
  };
}

/**
 * Opens the local cloud at `home` in this process and returns its Cloud Control; close() closes the
 * cloud. When `idbridge serve` already holds that home, talks to the server instead (over its
 * Cloud Control endpoint, with the home's local credentials) — the same cloud either way.
 * `objects` puts files into its S3 the same way.
 */
export async function openLocal(
  home: string,
): Promise<{ port: CloudControlPort; objects: () => Promise<ObjectPort> }> {
  const { LocalCloud } = await import("../../cloud/index.ts");
  try {
    const cloud = await LocalCloud.open({ home });
    const port = localPort(cloud);
    return { port: { ...port, close: () => cloud.close() }, objects: async () => localObjects(cloud) };
  } catch (error) {
    if ((error as { code?: string }).code !== "STORE_IN_USE") throw error;
    const { readCredentials, readServerInfo } = await import("../../serve/credentials.ts");
    const [info, credentials] = await Promise.all([readServerInfo(home), readCredentials(home)]);
    if (!info || !credentials) throw error;
    const options = {
      endpoint: info.url,
      region: credentials.region,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    };
    return { port: { ...awsPort(options), backend: "local" }, objects: () => awsObjects(options) };
  }
}

/** openLocal's Cloud Control alone. */
export async function openLocalPort(home: string): Promise<CloudControlPort> {
  return (await openLocal(home)).port;
}
