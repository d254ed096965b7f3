import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { LOCAL_AMC } from "../cloud/local-amc.ts";
import { isLoopbackHost } from "../lib/loopback.ts";
import { AmcApiError, AmcConfigError, hintFor } from "./errors.ts";
import { Collaboration, CreateTableResponse, IdMappingJob, IdMappingTable } from "./types.ts";

/** Environment variables for real AMC. Values are read, passed in headers, and never printed. */
export const AMC_ENV = {
  accessToken: "AMC_ACCESS_TOKEN",
  clientId: "AMC_CLIENT_ID",
  accountId: "AMC_ACCOUNT_ID",
  marketplaceId: "AMC_MARKETPLACE_ID",
  instanceId: "AMC_INSTANCE_ID",
} as const;

/**
 * Who is calling AMC. On real AMC: a Login with Amazon access token (bearer), the Amazon Ads API
 * client id, the AMC account id (sent as Amazon-Advertising-API-AdvertiserId), the marketplace id,
 * and the AMC instance id. None of these are ever logged.
 */
export interface AmcCredentials {
  accessToken: string;
  clientId: string;
  accountId: string;
  marketplaceId: string;
  instanceId: string;
}

export interface AmcClientOptions extends Omit<AmcCredentials, "marketplaceId"> {
  /** Base URL: `idbridge serve`'s URL locally, e.g. https://advertising-api.amazon.com on AMC. */
  endpoint: string;
  /**
   * Sent as Amazon-Advertising-API-MarketplaceId on every call (AMC requires it). Required for real
   * AMC (AMC_MARKETPLACE_ID, e.g. ATVPDKIKX0DER for amazon.com).
   * @default LOCAL_AMC.marketplaceId ("ATVPDKIKX0DER") when endpoint is the local cloud (a loopback address)
   */
  marketplaceId?: string;
}

/** The marketplace id to send: the given one, the local cloud's for a loopback endpoint, else a clear error. */
function marketplaceIdFor(options: AmcClientOptions): string {
  if (options.marketplaceId) return options.marketplaceId;
  if (isLoopbackHost(new URL(options.endpoint).hostname)) return LOCAL_AMC.marketplaceId;
  throw new AmcConfigError(
    `AMC at ${new URL(options.endpoint).origin} needs a marketplace id (the Amazon-Advertising-API-MarketplaceId header)`,
    `export ${AMC_ENV.marketplaceId} (e.g. ATVPDKIKX0DER for amazon.com), or pass marketplaceId to AmcClient`,
  );
}

// The AMC instance APIs' media type, for Accept and Content-Type.
/** Answers whose shape this client reads member by member. */
const AnyObject = z.looseObject({});

const MEDIA_TYPE = "application/vnd.amcinstances.v1+json";

/**
 * The AMC admin API's collaboration routes (the AMC Administration API, as Amazon Ads' AMC guide "Bring
 * identity data into the collaboration instance" uses them), over HTTP as any client would call them.
 */
export class AmcClient {
  private readonly marketplaceId: string;

  constructor(private readonly options: AmcClientOptions) {
    this.marketplaceId = marketplaceIdFor(options);
  }

  get instanceId(): string {
    return this.options.instanceId;
  }

  private get base(): string {
    return `/amc/instances/${encodeURIComponent(this.options.instanceId)}/collaboration`;
  }

  private async request<T>(
    operation: string,
    method: "GET" | "POST" | "DELETE",
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
  ): Promise<T> {
    const headers: Record<string, string> = {
      Accept: MEDIA_TYPE,
      Authorization: `Bearer ${this.options.accessToken}`,
      "Amazon-Advertising-API-ClientId": this.options.clientId,
      "Amazon-Advertising-API-AdvertiserId": this.options.accountId,
      "Amazon-Advertising-API-MarketplaceId": this.marketplaceId,
    };
    if (body !== undefined) headers["Content-Type"] = MEDIA_TYPE;
    const url = new URL(
      path,
      this.options.endpoint.endsWith("/") ? this.options.endpoint : `${this.options.endpoint}/`,
    );
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      throw new AmcApiError(
        0,
        "NetworkError",
        `cannot reach ${url.origin} (${(error as Error).cause ?? (error as Error).message})`,
        "is `idbridge serve` running, or is --endpoint right?",
      );
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      // AMC answers errors as { code, details }.
      const answer = (json ?? {}) as { code?: string; details?: string; message?: string };
      const code = answer.code ?? response.statusText ?? "Error";
      const message = answer.details ?? answer.message ?? `HTTP ${response.status}`;
      throw new AmcApiError(
        response.status,
        code,
        message,
        hintFor(response.status, code, message, operation),
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join(".") || "(body)";
      throw new AmcApiError(
        response.status,
        "UnexpectedResponse",
        `${method} ${url.pathname}: answer has no valid ${field}`,
      );
    }
    return parsed.data;
  }

  /** The collaboration behind the instance, with its members' membership ids. */
  getCollaboration(): Promise<Collaboration> {
    return this.request("getCollaboration", "GET", this.base, Collaboration);
  }

  /** ID namespaces associated with the collaboration and not yet used by a mapping table. */
  async listNamespaces(): Promise<Array<Record<string, unknown>>> {
    const answer = await this.request(
      "listNamespaces",
      "POST",
      `${this.base}/idnamespaces/list`,
      AnyObject,
      {},
    );
    return arrayIn(answer, ["idNamespaces", "idNamespaceAssociations", "namespaces", "items"]);
  }

  /** Creates an ID mapping table from a SOURCE namespace association and starts its population job. */
  createTable(input: { idMappingTableName: string; sourceIdNamespaceArn: string; description?: string }) {
    return this.request("createTable", "POST", `${this.base}/idmappingtables`, CreateTableResponse, input);
  }

  async listTables(): Promise<IdMappingTable[]> {
    const answer = await this.request("listTables", "GET", `${this.base}/idmappingtables`, AnyObject);
    return arrayIn(answer, ["idMappingTables", "tables", "items"]).map((table) =>
      IdMappingTable.parse(table),
    );
  }

  async getTable(tableId: string): Promise<IdMappingTable> {
    const answer = await this.request<Record<string, unknown>>(
      "getTable",
      "GET",
      `${this.base}/idmappingtables/${encodeURIComponent(tableId)}`,
      AnyObject,
    );
    return IdMappingTable.parse(answer.idMappingTable ?? answer);
  }

  /** Re-populates a table from its input (at most once per 14 days); answers with the new job id. */
  async refreshTable(
    tableId: string,
  ): Promise<{ idMappingWorkflowJobId?: string } & Record<string, unknown>> {
    return this.request(
      "refreshTable",
      "POST",
      `${this.base}/idmappingtables/${encodeURIComponent(tableId)}/refresh`,
      AnyObject,
      {},
    );
  }

  async deleteTable(tableId: string): Promise<void> {
    await this.request(
      "deleteTable",
      "DELETE",
      `${this.base}/idmappingtables/${encodeURIComponent(tableId)}`,
      AnyObject,
    );
  }

  async getJob(tableId: string, jobId: string): Promise<IdMappingJob> {
    const answer = await this.request<Record<string, unknown>>(
      "getJob",
      "GET",
      `${this.base}/idmappingtables/${encodeURIComponent(tableId)}/jobs/${encodeURIComponent(jobId)}`,
      AnyObject,
    );
    return IdMappingJob.parse(answer.idMappingJob ?? answer.job ?? answer);
  }

  /**
   * Polls a job until SUCCEEDED (returned) or FAILED (thrown), calling onProgress on every poll.
   * Backoff starts at `initialDelayMs` and doubles up to `maxDelayMs`.
   */
  async waitForJob(
    tableId: string,
    jobId: string,
    options: {
      onProgress?: (job: IdMappingJob, elapsedMs: number) => void;
      initialDelayMs?: number;
      maxDelayMs?: number;
      timeoutMs?: number;
    } = {},
  ): Promise<IdMappingJob> {
    const { initialDelayMs = 100, maxDelayMs = 15_000, timeoutMs = 6 * 60 * 60_000 } = options;
    const started = Date.now();
    let delay = initialDelayMs;
    for (;;) {
      const job = await this.getJob(tableId, jobId);
      options.onProgress?.(job, Date.now() - started);
      if (job.status === "SUCCEEDED") return job;
      if (job.status === "FAILED") {
        throw new AmcApiError(
          200,
          "JobFailed",
          `ID mapping job ${jobId} failed: ${job.errorDetails?.errorMessage ?? "no message"}`,
          "check the Glue table, the schema mapping and the namespace's role (`idbridge drift` shows changed infrastructure)",
        );
      }
      if (Date.now() - started > timeoutMs) {
        throw new AmcApiError(
          0,
          "Timeout",
          `job ${jobId} still ${job.status} after ${Math.round(timeoutMs / 1000)} s`,
          `follow it later with \`idbridge amc job ${jobId} --table ${tableId} --wait\``,
        );
      }
      await sleep(delay);
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}

function arrayIn(answer: unknown, keys: string[]): Array<Record<string, unknown>> {
  if (Array.isArray(answer)) return answer;
  const record = (answer ?? {}) as Record<string, unknown>;
  for (const key of keys)
    if (Array.isArray(record[key])) return record[key] as Array<Record<string, unknown>>;
  return [];
}
