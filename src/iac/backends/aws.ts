import {
  CloudControlClient,
  CreateResourceCommand,
  DeleteResourceCommand,
  GetResourceCommand,
  GetResourceRequestStatusCommand,
  ListResourcesCommand,
  UpdateResourceCommand,
} from "@aws-sdk/client-cloudcontrol";
import { awsRegion } from "../../config.ts";
import { CloudControlCallError, type CloudControlPort } from "../port.ts";

export interface AwsBackendOptions {
  /**
   * Cloud Control endpoint, e.g. the URL of `idbridge serve`.
   * @default process.env.AWS_ENDPOINT_URL_CLOUDCONTROLAPI, else the SDK's own resolution
   * (AWS_ENDPOINT_URL_CLOUDCONTROL, AWS_ENDPOINT_URL, then AWS's public endpoint)
   */
  endpoint?: string;
  /** @default process.env.AWS_REGION, else "us-east-1" (the only region the AMC route supports) */
  region?: string;
  /** @default the SDK's standard credential chain (env, shared config, SSO, instance role, ...) */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Cloud Control through @aws-sdk/client-cloudcontrol: real AWS, or any endpoint that speaks its protocol. */
export function awsPort(options: AwsBackendOptions = {}): CloudControlPort {
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL_CLOUDCONTROLAPI;
  const client = new CloudControlClient({
    region: awsRegion(options.region),
    ...(endpoint ? { endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      // Service exceptions carry $metadata; anything else (network, credentials) passes through.
      if (error instanceof Error && "$metadata" in error)
        throw new CloudControlCallError(error.name, error.message);
      throw error;
    }
  };
  return {
    backend: "aws",
    createResource: (input) => call(() => client.send(new CreateResourceCommand(input))),
    getResource: (input) => call(() => client.send(new GetResourceCommand(input))),
    updateResource: (input) => call(() => client.send(new UpdateResourceCommand(input))),
    deleteResource: (input) => call(() => client.send(new DeleteResourceCommand(input))),
    getResourceRequestStatus: (input) => call(() => client.send(new GetResourceRequestStatusCommand(input))),
    listResources: (input) => call(() => client.send(new ListResourcesCommand(input))),
    close: async () => client.destroy(),
  };
}
