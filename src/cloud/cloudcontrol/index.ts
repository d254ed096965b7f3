import { createHash, randomUUID } from "node:crypto";
import { applyPatch, type Operation as PatchOperation } from "rfc6902";
import type { ResourceType } from "../../schemas/resource-type.ts";
import { AwsError } from "../aws-error.ts";
import { requireString } from "../kit/inputs.ts";
import { deleteAt, entriesAt, jsonEqual, setAt, valueAt, withoutPaths } from "../kit/json-pointer.ts";
import { decodeOffsetToken, pageFrom } from "../kit/paging.ts";
import { withResourceIds } from "../kit/resource-ids.ts";
import { describeIssuesAsPointers } from "../kit/zod-issues.ts";
import type { ResourceProvider } from "../provider.ts";
import type { AwsService, Operation, RequestContext } from "../service.ts";
import type { Store } from "../store.ts";
import {
  type HandlerErrorCode,
  handlerErrorCode,
  invalidRequest,
  requestTokenNotFound,
  resourceNotFound,
  typeNotFound,
} from "./errors.ts";

export type { ResourceProvider } from "../provider.ts";

const REQUESTS = "cloudcontrol.requests";
const CLIENT_TOKENS = "cloudcontrol.clientTokens";
const WRITE_ONLY = "cloudcontrol.writeOnly";
const MAX_RESULTS = 100;
/** Cloud Control keeps request records for 7 days. */
const REQUEST_TTL_MS = 7 * 24 * 3600 * 1000;
/** A ClientToken may be reused for a new request after 36 hours (ClientTokenConflictException docs). */
const CLIENT_TOKEN_TTL_MS = 36 * 3600 * 1000;

type CloudControlOperation = "CREATE" | "UPDATE" | "DELETE";
type OperationStatus =
  | "PENDING"
  | "IN_PROGRESS"
  | "SUCCESS"
  | "FAILED"
  | "CANCEL_IN_PROGRESS"
  | "CANCEL_COMPLETE";
const TERMINAL: ReadonlySet<OperationStatus> = new Set(["SUCCESS", "FAILED", "CANCEL_COMPLETE"]);

/** A ProgressEvent as stored (timestamps as ISO strings). */
interface StoredEvent {
  TypeName: string;
  Identifier?: string;
  RequestToken: string;
  Operation: CloudControlOperation;
  OperationStatus: OperationStatus;
  EventTime: string;
  ResourceModel?: string;
  StatusMessage?: string;
  ErrorCode?: HandlerErrorCode;
  RetryAfter?: string;
}

interface RequestRecord {
  event: StoredEvent;
  createdAt: string;
  accountId: string;
  region: string;
  principal?: string;
  clientToken?: string;
  /** The request as sent: DesiredState (create) or PatchDocument (update). */
  body?: string;
  /** Desired state once validated (create) or computed from the patch (update). */
  desired?: Record<string, unknown>;
  /** Set (durably) just before a create calls its provider: a resource found later under the request's identifier is its own. */
  creating?: true;
}

interface ClientTokenRecord {
  requestToken: string;
  fingerprint: string;
}

type Input = Parameters<Operation>[0];

function renderEvent(event: StoredEvent) {
  return {
    ...event,
    EventTime: new Date(event.EventTime),
    ...(event.RetryAfter ? { RetryAfter: new Date(event.RetryAfter) } : {}),
  };
}

/** A required string member of a Cloud Control request, at most `max` characters. */
const requireMember = (input: Input, member: string, max = 2048): string =>
  requireString(input, member, {
    max,
    reject: (name, limit) => invalidRequest(`${name} is required (a string of 1 to ${limit} characters).`),
  });

function parseJsonObject(text: string, member: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest(`${member} is not valid JSON.`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw invalidRequest(`${member} must be a JSON object.`);
  return value as Record<string, unknown>;
}

function readPageToken(token: unknown): number {
  if (token === undefined || token === null || token === "") return 0;
  const offset = decodeOffsetToken(token);
  if (offset === undefined) throw invalidRequest("NextToken is not valid.");
  return offset;
}

function pageSize(value: unknown): number {
  if (value === undefined || value === null) return MAX_RESULTS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_RESULTS)
    throw invalidRequest(`MaxResults must be 1 to ${MAX_RESULTS}.`);
  return n;
}

/**
 * Applies an RFC 6902 patch one operation at a time. Tools compute patches against the state they
 * stored, which can differ from the model a provider reads back only in members that are absent
 * (an empty list the service drops, an unset description): a "remove" of an absent member is
 * skipped and a "replace" of one is applied as an "add". Everything else follows RFC 6902 strictly.
 * Returns the index and error name of the first operation that fails, if any.
 */
function applyLenient(
  document: Record<string, unknown>,
  patch: PatchOperation[],
): { index: number; error: string } | undefined {
  const exists = (pointer: string) => {
    let node: unknown = document;
    for (const raw of pointer.split("/").slice(1)) {
      const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      if (node === null || typeof node !== "object" || !(key in node)) return false;
      node = (node as Record<string, unknown>)[key];
    }
    return true;
  };
  for (const [index, op] of patch.entries()) {
    let effective: PatchOperation | undefined = op;
    if (op && typeof op === "object" && typeof op.path === "string" && op.path !== "" && !exists(op.path)) {
      if (op.op === "remove") effective = undefined;
      else if (op.op === "replace") effective = { op: "add", path: op.path, value: op.value };
    }
    if (!effective) continue;
    const [result] = applyPatch(document, [effective]);
    if (result) return { index, error: result.name };
  }
  return undefined;
}

/** Thrown inside a request's execution to end it FAILED with a specific HandlerErrorCode. */
class HandlerFailure extends Error {
  constructor(
    readonly errorCode: HandlerErrorCode,
    message: string,
    readonly identifier?: string,
  ) {
    super(message);
  }
}

export interface CloudControl {
  readonly service: AwsService;
  /** Finishes or fails requests a previous process left IN_PROGRESS; call once, after every provider is registered. */
  start(): Promise<void>;
  /** Resolves when no request is running. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Cloud Control API over resource providers: requests are answered IN_PROGRESS at once, run in
 * the background, and persisted, so GetResourceRequestStatus works across restarts.
 */
export function createCloudControl(store: Store, providerList: readonly ResourceProvider[]): CloudControl {
  const providers = new Map<string, ResourceProvider>();
  for (const provider of providerList) {
    if (providers.has(provider.type.typeName)) throw new Error(`two providers for ${provider.type.typeName}`);
    providers.set(provider.type.typeName, provider);
  }
  const running = new Set<Promise<void>>();
  /** "Type|Identifier" of resources with an update or delete in flight. */
  const busy = new Map<string, string>();
  /** "Type|Identifier" -> token of the create that is making it. */
  const creating = new Map<string, string>();
  let stopped = false;

  const providerOf = (typeName: unknown): ResourceProvider => {
    const provider = typeof typeName === "string" ? providers.get(typeName) : undefined;
    if (!provider) throw typeNotFound(typeName);
    return provider;
  };

  /** For serializing only: shares every member it keeps with `model`. */
  const withoutWriteOnly = (type: ResourceType, model: Record<string, unknown>) =>
    withoutPaths(model, type.writeOnly);

  const identifierFrom = (type: ResourceType, model: Record<string, unknown>): string | undefined => {
    const parts = type.primaryIdentifier.map((p) => valueAt(model, p));
    if (!parts.every((p) => typeof p === "string" || typeof p === "number")) return undefined;
    return parts.join("|");
  };

  const validate = (type: ResourceType, model: Record<string, unknown>): Record<string, unknown> => {
    const result = type.props.safeParse(model);
    if (!result.success) {
      throw new HandlerFailure(
        "InvalidRequest",
        `Model validation failed (${describeIssuesAsPointers(result.error)})`,
      );
    }
    return result.data as Record<string, unknown>;
  };

  async function transition(
    token: string,
    patch: Partial<StoredEvent>,
    more: Partial<RequestRecord> = {},
  ): Promise<StoredEvent> {
    return store.transact((tx) => {
      const record = tx.get<RequestRecord>(REQUESTS, token)!;
      const event: StoredEvent = { ...record.event, ...patch, EventTime: new Date().toISOString() };
      // A cancel that arrived while the handler ran ends as CANCEL_COMPLETE (Cloud Control does not roll back).
      if (record.event.OperationStatus === "CANCEL_IN_PROGRESS" && TERMINAL.has(event.OperationStatus)) {
        event.OperationStatus = "CANCEL_COMPLETE";
      }
      tx.put<RequestRecord>(REQUESTS, token, { ...record, ...more, event });
      return event;
    });
  }

  /** The next desired state of an update: the patch applied to the current model, checked. */
  function desiredAfterPatch(
    provider: ResourceProvider,
    identifier: string,
    current: Record<string, unknown>,
    patchText: string,
  ): Record<string, unknown> {
    const { type } = provider;
    let patch: PatchOperation[];
    try {
      patch = JSON.parse(patchText);
    } catch {
      throw new HandlerFailure("InvalidRequest", "PatchDocument is not valid JSON.");
    }
    if (!Array.isArray(patch))
      throw new HandlerFailure(
        "InvalidRequest",
        "PatchDocument must be a JSON array of RFC 6902 operations.",
      );
    const stored = store.get<Record<string, unknown>>(WRITE_ONLY, `${type.typeName}|${identifier}`) ?? {};
    const before: Record<string, unknown> = structuredClone({ ...current });
    for (const [path, value] of Object.entries(stored)) setAt(before, path, structuredClone(value));
    const after = structuredClone(before);
    const failed = applyLenient(after, patch);
    if (failed) {
      const op = patch[failed.index];
      throw new HandlerFailure(
        "InvalidRequest",
        `PatchDocument operation ${failed.index} (${op?.op} ${op?.path}) cannot be applied: ${failed.error}`,
      );
    }
    // Tools send create-only properties back with their current values (Alchemy: an "add" of the
    // same value), or leave out ones the service defaulted (Alchemy's adopt patches from the read
    // model to its desired state: "remove /Path"): both keep the current value. Only a real change
    // is NotUpdatable.
    for (const path of type.createOnly) {
      const current = valueAt(before, path);
      if (valueAt(after, path) === undefined && current !== undefined)
        setAt(after, path, structuredClone(current));
      if (!jsonEqual(current, valueAt(after, path))) {
        throw new HandlerFailure(
          "NotUpdatable",
          `Invalid patch update: createOnlyProperties [/properties/${path}] cannot be updated. Replace the resource (delete and create) to change it.`,
        );
      }
    }
    // Read-only members may be dropped from the patched document (they are the service's), not set.
    for (const path of type.readOnly) {
      const next = valueAt(after, path);
      if (next !== undefined && !jsonEqual(valueAt(before, path), next)) {
        throw new HandlerFailure(
          "InvalidRequest",
          `Invalid patch update: readOnlyProperties [/properties/${path}] cannot be set.`,
        );
      }
      deleteAt(after, path);
    }
    return validate(type, after);
  }

  async function execute(token: string, resumed: boolean): Promise<void> {
    const record = store.get<RequestRecord>(REQUESTS, token);
    if (!record || TERMINAL.has(record.event.OperationStatus)) return;
    const { event } = record;
    const provider = providerOf(event.TypeName);
    const { type } = provider;
    const ctx: RequestContext = {
      accountId: record.accountId,
      region: record.region,
      requestId: token,
      ...(record.principal ? { principal: record.principal } : {}),
    };
    let identifier = event.Identifier;
    try {
      if (event.OperationStatus === "CANCEL_IN_PROGRESS") {
        await transition(token, { OperationStatus: "CANCEL_COMPLETE" });
        return;
      }
      if (event.Operation === "CREATE") {
        let desired = record.desired;
        if (!desired) {
          desired = validate(type, parseJsonObject(record.body ?? "{}", "DesiredState"));
          desired = provider.withGeneratedNames?.(desired, token) ?? desired;
          await transition(token, {}, { desired });
        }
        identifier = provider.identifierFor?.(desired, token) ?? identifierFrom(type, desired);
        if (identifier !== undefined) {
          const existing = await provider.read(identifier, ctx);
          if (existing && record.creating) {
            // This request created it before the process stopped, perhaps only in part (a role
            // without all its policies): converge it to the desired state and finish.
            const model = await provider.update(identifier, desired, ctx);
            await finishCreate(token, provider, identifier, model, desired);
            return;
          }
          if (existing) {
            throw new HandlerFailure(
              "AlreadyExists",
              `Resource of type '${type.typeName}' with identifier '${identifier}' already exists.`,
              identifier,
            );
          }
        } else if (record.creating) {
          throw new HandlerFailure(
            "InternalFailure",
            `The local cloud stopped while this request was in progress; it may or may not have created the resource. List resources of type ${type.typeName} to check, then retry.`,
          );
        }
        const claim = identifier !== undefined ? `${type.typeName}|${identifier}` : undefined;
        if (claim && creating.has(claim)) {
          // Only one of two creates of one identifier may claim the resource as its own.
          throw new HandlerFailure(
            "AlreadyExists",
            `Resource of type '${type.typeName}' with identifier '${identifier}' is being created by request ${creating.get(claim)}.`,
            identifier,
          );
        }
        if (claim) creating.set(claim, token);
        try {
          // From here on a resource under this identifier is this request's own (see above).
          if (!record.creating) await transition(token, {}, { creating: true });
          // Ids the service assigns derive from the token: identifierFor knew this one before it existed.
          const created = await withResourceIds(token, () => provider.create(desired, ctx));
          await finishCreate(token, provider, created.identifier, created.model, desired);
        } finally {
          if (claim) creating.delete(claim);
        }
        return;
      }
      if (!identifier) throw new HandlerFailure("InvalidRequest", "Identifier is required.");
      if (event.Operation === "UPDATE") {
        let desired = record.desired;
        if (!desired) {
          const current = await provider.read(identifier, ctx);
          if (!current)
            throw new HandlerFailure("NotFound", resourceNotFound(type.typeName, identifier).message);
          desired = desiredAfterPatch(provider, identifier, current, record.body ?? "[]");
          await transition(token, {}, { desired });
        }
        const model = await provider.update(identifier, desired, ctx);
        await store.transact((tx) =>
          tx.put(WRITE_ONLY, `${type.typeName}|${identifier}`, writeOnlyOf(type, desired)),
        );
        await transition(token, {
          OperationStatus: "SUCCESS",
          ResourceModel: JSON.stringify(withoutWriteOnly(type, model)),
        });
        return;
      }
      const current = await provider.read(identifier, ctx);
      if (!current && !resumed)
        throw new HandlerFailure("NotFound", resourceNotFound(type.typeName, identifier).message);
      if (current) await provider.delete(identifier, ctx);
      await store.transact((tx) => tx.delete(WRITE_ONLY, `${type.typeName}|${identifier}`));
      await transition(token, { OperationStatus: "SUCCESS" });
    } catch (error) {
      if (stopped && !(error instanceof HandlerFailure) && !(error instanceof AwsError)) return;
      const failure =
        error instanceof HandlerFailure
          ? { code: error.errorCode, message: error.message, identifier: error.identifier }
          : {
              code: handlerErrorCode(error),
              message: error instanceof Error ? error.message : String(error),
              identifier:
                error instanceof AwsError && typeof error.fields.identifier === "string"
                  ? error.fields.identifier
                  : undefined,
            };
      const alreadyExistsId =
        failure.code === "AlreadyExists" && event.Operation === "CREATE"
          ? (failure.identifier ?? (record.desired ? identifierFrom(type, record.desired) : undefined))
          : undefined;
      await transition(token, {
        OperationStatus: "FAILED",
        ErrorCode: failure.code,
        StatusMessage: failure.message,
        ...(alreadyExistsId ? { Identifier: alreadyExistsId } : {}),
      });
    }
  }

  function writeOnlyOf(type: ResourceType, desired: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const path of type.writeOnly) {
      for (const [at, value] of entriesAt(desired, path)) if (value !== undefined) out[at] = value;
    }
    return out;
  }

  async function finishCreate(
    token: string,
    provider: ResourceProvider,
    identifier: string,
    model: Record<string, unknown>,
    desired: Record<string, unknown>,
  ): Promise<void> {
    const { type } = provider;
    await store.transact((tx) => {
      const writeOnly = writeOnlyOf(type, desired);
      if (Object.keys(writeOnly).length > 0) tx.put(WRITE_ONLY, `${type.typeName}|${identifier}`, writeOnly);
    });
    await transition(token, {
      OperationStatus: "SUCCESS",
      Identifier: identifier,
      ResourceModel: JSON.stringify(withoutWriteOnly(type, model)),
    });
  }

  function schedule(token: string, resumed = false, busyKey?: string): void {
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => execute(token, resumed))
      .catch((error) => {
        // Only a store failure lands here; the request stays IN_PROGRESS and is resumed on restart.
        process.emitWarning(
          `cloudcontrol: request ${token} could not be recorded: ${(error as Error).message}`,
        );
      })
      .finally(() => {
        running.delete(run);
        if (busyKey && busy.get(busyKey) === token) busy.delete(busyKey);
      });
    running.add(run);
  }

  /** Records a new request (or returns the one a repeated ClientToken names) and starts it. */
  async function submit(
    operation: CloudControlOperation,
    typeName: string,
    identifier: string | undefined,
    body: string | undefined,
    input: Input,
    ctx: RequestContext,
  ) {
    if (stopped) throw new AwsError("ServiceUnavailableException", "The local cloud is shutting down.", 503);
    const clientToken = input.ClientToken;
    if (
      clientToken !== undefined &&
      (typeof clientToken !== "string" || clientToken.length < 1 || clientToken.length > 128)
    ) {
      throw invalidRequest("ClientToken must be 1 to 128 characters.");
    }
    const fingerprint = createHash("sha256")
      .update(JSON.stringify([operation, typeName, identifier ?? null, body ?? null]))
      .digest("hex");
    const busyKey = identifier !== undefined ? `${typeName}|${identifier}` : undefined;
    const token = randomUUID();
    const now = new Date().toISOString();
    const result = await store.transact((tx) => {
      if (clientToken) {
        const seen = tx.get<ClientTokenRecord>(CLIENT_TOKENS, clientToken);
        if (seen) {
          if (seen.fingerprint !== fingerprint) {
            throw new AwsError(
              "ClientTokenConflictException",
              `ClientToken ${clientToken} was already used for a different request; use a new ClientToken for a new request.`,
              400,
            );
          }
          const previous = tx.get<RequestRecord>(REQUESTS, seen.requestToken);
          if (previous) return { event: previous.event, fresh: false };
        }
      }
      if (busyKey && busy.has(busyKey)) {
        throw new AwsError(
          "ConcurrentOperationException",
          // Alchemy reads the running request's token from this message ("RequestToken <token>") and polls it.
          `Another resource operation is currently being performed on this resource: RequestToken ${busy.get(busyKey)}`,
          400,
        );
      }
      const event: StoredEvent = {
        TypeName: typeName,
        ...(identifier !== undefined ? { Identifier: identifier } : {}),
        RequestToken: token,
        Operation: operation,
        OperationStatus: "IN_PROGRESS",
        EventTime: now,
      };
      tx.put<RequestRecord>(REQUESTS, token, {
        event,
        createdAt: now,
        accountId: ctx.accountId,
        region: ctx.region,
        ...(ctx.principal ? { principal: ctx.principal } : {}),
        ...(clientToken ? { clientToken } : {}),
        ...(body !== undefined ? { body } : {}),
      });
      if (clientToken)
        tx.put<ClientTokenRecord>(CLIENT_TOKENS, clientToken, { requestToken: token, fingerprint });
      return { event, fresh: true };
    });
    if (result.fresh) {
      if (busyKey) busy.set(busyKey, token);
      schedule(token, false, busyKey);
    }
    return { ProgressEvent: renderEvent(result.event) };
  }

  const operations: Record<string, Operation> = {
    async CreateResource(input, ctx) {
      const provider = providerOf(input.TypeName);
      // botocore's cloudcontrol model: Properties and PatchDocument are strings of 1 to 262,144.
      const desiredState = requireMember(input, "DesiredState", 262_144);
      parseJsonObject(desiredState, "DesiredState");
      return submit("CREATE", provider.type.typeName, undefined, desiredState, input, ctx);
    },

    async UpdateResource(input, ctx) {
      const provider = providerOf(input.TypeName);
      const identifier = requireMember(input, "Identifier");
      const patch = requireMember(input, "PatchDocument", 262_144);
      return submit("UPDATE", provider.type.typeName, identifier, patch, input, ctx);
    },

    async DeleteResource(input, ctx) {
      const provider = providerOf(input.TypeName);
      const identifier = requireMember(input, "Identifier");
      return submit("DELETE", provider.type.typeName, identifier, undefined, input, ctx);
    },

    async GetResource(input, ctx) {
      const provider = providerOf(input.TypeName);
      const identifier = requireMember(input, "Identifier");
      const model = await provider.read(identifier, ctx);
      if (!model) throw resourceNotFound(provider.type.typeName, identifier);
      return {
        TypeName: provider.type.typeName,
        ResourceDescription: {
          Identifier: identifier,
          Properties: JSON.stringify(withoutWriteOnly(provider.type, model)),
        },
      };
    },

    async ListResources(input, ctx) {
      const provider = providerOf(input.TypeName);
      const filter =
        typeof input.ResourceModel === "string" && input.ResourceModel
          ? parseJsonObject(input.ResourceModel, "ResourceModel")
          : undefined;
      const max = pageSize(input.MaxResults);
      const offset = readPageToken(input.NextToken);
      const all = (await provider.list(ctx, filter)).sort((a, b) =>
        a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0,
      );
      const { page, next } = pageFrom(all, offset, max);
      return {
        TypeName: provider.type.typeName,
        ResourceDescriptions: page.map((r) => ({
          Identifier: r.identifier,
          Properties: JSON.stringify(withoutWriteOnly(provider.type, r.model)),
        })),
        ...(next !== undefined ? { NextToken: next } : {}),
      };
    },

    async GetResourceRequestStatus(input) {
      const token = requireMember(input, "RequestToken", 128);
      const record = store.get<RequestRecord>(REQUESTS, token);
      if (!record) throw requestTokenNotFound(token);
      return { ProgressEvent: renderEvent(record.event) };
    },

    async ListResourceRequests(input) {
      const filter = input.ResourceRequestStatusFilter ?? {};
      const operationsFilter: string[] | undefined = filter.Operations?.length
        ? filter.Operations
        : undefined;
      const statusFilter: string[] | undefined = filter.OperationStatuses?.length
        ? filter.OperationStatuses
        : undefined;
      const max = pageSize(input.MaxResults);
      const offset = readPageToken(input.NextToken);
      const matching = store
        .list<RequestRecord>(REQUESTS)
        .map(([, r]) => r)
        .filter(
          (r) =>
            (!operationsFilter || operationsFilter.includes(r.event.Operation)) &&
            (!statusFilter || statusFilter.includes(r.event.OperationStatus)),
        )
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
      const { page, next } = pageFrom(matching, offset, max);
      return {
        ResourceRequestStatusSummaries: page.map((r) => renderEvent(r.event)),
        ...(next !== undefined ? { NextToken: next } : {}),
      };
    },

    async CancelResourceRequest(input) {
      const token = requireMember(input, "RequestToken", 128);
      const event = await store.transact((tx) => {
        const record = tx.get<RequestRecord>(REQUESTS, token);
        if (!record) throw requestTokenNotFound(token);
        const status = record.event.OperationStatus;
        if (status !== "PENDING" && status !== "IN_PROGRESS") {
          throw new AwsError(
            "ConcurrentModificationException",
            `Request ${token} is ${status}; only PENDING or IN_PROGRESS requests can be cancelled.`,
            500,
          );
        }
        const next: StoredEvent = {
          ...record.event,
          OperationStatus: "CANCEL_IN_PROGRESS",
          EventTime: new Date().toISOString(),
        };
        tx.put<RequestRecord>(REQUESTS, token, { ...record, event: next });
        return next;
      });
      return { ProgressEvent: renderEvent(event) };
    },
  };

  async function idle(): Promise<void> {
    while (running.size > 0) await Promise.allSettled([...running]);
  }

  return {
    service: { signingName: "cloudcontrolapi", operations },

    async start() {
      const cutoff = new Date(Date.now() - REQUEST_TTL_MS).toISOString();
      const tokenCutoff = new Date(Date.now() - CLIENT_TOKEN_TTL_MS).toISOString();
      const requests = store.list<RequestRecord>(REQUESTS);
      const expired = requests.filter(([, r]) => r.createdAt < cutoff);
      const expiredTokens = requests.filter(([, r]) => r.clientToken && r.createdAt < tokenCutoff);
      if (expired.length > 0 || expiredTokens.length > 0) {
        await store.transact((tx) => {
          for (const [token] of expired) tx.delete(REQUESTS, token);
          for (const [, record] of expiredTokens) tx.delete(CLIENT_TOKENS, record.clientToken!);
        });
      }
      for (const [token, record] of store.list<RequestRecord>(REQUESTS)) {
        if (TERMINAL.has(record.event.OperationStatus)) continue;
        if (!providers.has(record.event.TypeName)) {
          await transition(token, {
            OperationStatus: "FAILED",
            ErrorCode: "InternalFailure",
            StatusMessage: `The local cloud restarted without a provider for ${record.event.TypeName}.`,
          });
          continue;
        }
        const busyKey = record.event.Identifier
          ? `${record.event.TypeName}|${record.event.Identifier}`
          : undefined;
        if (busyKey && record.event.Operation !== "CREATE") busy.set(busyKey, token);
        schedule(token, true, busyKey);
      }
    },

    idle,

    async stop() {
      stopped = true;
      await idle();
    },
  };
}
