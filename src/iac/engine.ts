import { randomUUID } from "node:crypto";
import type { ResourceType } from "../schemas/resource-type.ts";
import { diffProps, driftOf, type PropertyChange, storedProps, updatePatch } from "./diff.ts";
import { CloudControlCallError, type CloudControlPort, isNotFound, type ProgressEvent } from "./port.ts";
import { identifierFromProps, readOnlyTopLevel, topLevel, writeOnlyTopLevel } from "./property-paths.ts";
import type { PendingOperation, ResourceState, StateStore } from "./state.ts";
import { OperationFailedError, type WaitOptions, waitForRequest } from "./wait.ts";

export type Action = "create" | "adopt" | "update" | "replace" | "delete" | "noop";

/** What happened (up, destroy) or would happen (plan) to one resource. */
export interface ResourceReport {
  id: string;
  typeName: string;
  action: Action;
  changes: PropertyChange[];
  identifier?: string;
}

export interface DriftReport {
  id: string;
  typeName: string;
  identifier?: string;
  status: "in-sync" | "drifted" | "deleted" | "not-created";
  differences: Array<{ path: string; expected: unknown; actual: unknown }>;
}

export interface EngineContext {
  port: CloudControlPort;
  store: StateStore;
  wait: WaitOptions;
  /** One line per step, for progress output. */
  log: (line: string) => void;
}

/** An AlreadyExists without adopt, or an adopted resource that cannot become what the program declares. */
export class ResourceConflictError extends Error {
  override readonly name = "ResourceConflictError";
}

const freshState = (id: string, typeName: string, order: number): ResourceState => ({
  version: 1,
  id,
  typeName,
  order,
  retired: [],
  updatedAt: new Date().toISOString(),
});

async function withPending(
  ctx: EngineContext,
  state: ResourceState,
  operation: PendingOperation["operation"],
  identifier: string | undefined,
): Promise<ResourceState> {
  // Reuse the token of an unfinished operation of the same kind on the same resource: after a crash
  // Cloud Control then recognises the retry instead of doing the work twice.
  const reusable =
    state.pending?.operation === operation && state.pending.identifier === identifier
      ? state.pending
      : undefined;
  const pending: PendingOperation = reusable ?? {
    operation,
    clientToken: randomUUID(),
    ...(identifier ? { identifier } : {}),
    startedAt: new Date().toISOString(),
  };
  const next = { ...state, pending };
  await ctx.store.write(next);
  return next;
}

async function freshToken(ctx: EngineContext, state: ResourceState): Promise<ResourceState> {
  const next = { ...state, pending: { ...state.pending!, clientToken: randomUUID() } };
  await ctx.store.write(next);
  return next;
}

const isTokenConflict = (error: unknown) =>
  error instanceof CloudControlCallError && error.code === "ClientTokenConflictException";

/**
 * Sends the pending request with its ClientToken. A token Cloud Control already saw for a different
 * desired state (the program changed between a crash and this retry) is replaced once; the state
 * holding the fresh token goes to `onFreshToken` before the resend, so a failing resend keeps it.
 */
async function sendWithToken<A extends { ProgressEvent?: { RequestToken?: string } }>(
  ctx: EngineContext,
  state: ResourceState,
  send: (token: string) => Promise<A>,
  onFreshToken: (state: ResourceState) => void,
): Promise<A> {
  let answer: A;
  try {
    answer = await send(state.pending!.clientToken);
  } catch (error) {
    if (!isTokenConflict(error)) throw error;
    const fresh = await freshToken(ctx, state);
    onFreshToken(fresh);
    answer = await send(fresh.pending!.clientToken);
  }
  ctx.log(`    ${state.pending!.operation} request ${answer.ProgressEvent?.RequestToken ?? "?"} sent`);
  return answer;
}

/** The live model, or undefined when the resource is gone. */
export async function readModel(
  ctx: EngineContext,
  type: ResourceType,
  identifier: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    const answer = await ctx.port.getResource({ TypeName: type.typeName, Identifier: identifier });
    return JSON.parse(answer.ResourceDescription?.Properties ?? "{}") as Record<string, unknown>;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Read-only properties (Arn, ids, ...) and the primary identifier, as the service reports them. */
export function attributesOf(type: ResourceType, model: Record<string, unknown>): Record<string, unknown> {
  const keys = new Set([...readOnlyTopLevel(type), ...type.primaryIdentifier.map(topLevel)]);
  return Object.fromEntries(Object.entries(model).filter(([key]) => keys.has(key)));
}

async function createRemote(
  ctx: EngineContext,
  type: ResourceType,
  state: ResourceState,
  desired: Record<string, unknown>,
  adopt: boolean,
): Promise<{ state: ResourceState; identifier: string; adopted: boolean; resumed?: boolean }> {
  const resumed = state.pending?.operation === "CREATE";
  let current = await withPending(ctx, state, "CREATE", undefined);
  const send = (token: string) =>
    ctx.port.createResource({
      TypeName: type.typeName,
      DesiredState: JSON.stringify(desired),
      ClientToken: token,
    });
  const alreadyExists = (identifier: string | undefined) => {
    const found = identifier ?? identifierFromProps(type, desired);
    // A create we started ourselves before a crash counts as ours; either way the live resource is
    // then brought to the desired props like an adopted one.
    if (found && (adopt || resumed)) return { state: current, identifier: found, adopted: true, resumed };
    throw new ResourceConflictError(
      `${type.typeName} "${state.id}" already exists${found ? ` (${found})` : ""}; pass adopt: true to manage the existing resource, or choose another name`,
    );
  };
  try {
    const answer = await sendWithToken(ctx, current, send, (fresh) => {
      current = fresh;
    });
    const event = await settle(ctx, current, answer.ProgressEvent);
    if (!event.Identifier) throw new Error(`CreateResource ${type.typeName} succeeded without an Identifier`);
    return { state: current, identifier: event.Identifier, adopted: false };
  } catch (error) {
    if (error instanceof OperationFailedError && error.errorCode === "AlreadyExists") {
      return alreadyExists(error.event.Identifier);
    }
    if (error instanceof CloudControlCallError && error.code === "AlreadyExistsException") {
      return alreadyExists(undefined);
    }
    if (resumed && error instanceof OperationFailedError && UNKNOWN_OUTCOME.has(error.errorCode ?? "")) {
      return recoverUnknownCreate(ctx, type, current, desired);
    }
    throw error;
  }
}

/**
 * Waits for a request. One that ended FAILED is finished: its ClientToken is dropped from state, so
 * the next run sends a new request instead of replaying this failure. A timeout or an unknown
 * outcome keeps the token, so the next run picks the same request up.
 */
async function settle(
  ctx: EngineContext,
  state: ResourceState,
  first: ProgressEvent | undefined,
): Promise<ProgressEvent> {
  try {
    return await waitForRequest(ctx.port, first, ctx.wait);
  } catch (error) {
    if (error instanceof OperationFailedError && !UNKNOWN_OUTCOME.has(error.errorCode ?? "")) {
      const { pending: _done, ...rest } = state;
      await ctx.store.write(rest);
    }
    throw error;
  }
}

// A create request whose outcome the service could not tell (it stopped mid-request).
const UNKNOWN_OUTCOME = new Set([
  "InternalFailure",
  "ServiceInternalError",
  "NotStabilized",
  "NetworkFailure",
]);

/**
 * After a crash the create we started may or may not have happened, and for types whose identifier
 * the service generates (a collaboration's UUID) no name tells. Look for it: a live resource of the
 * type whose properties equal the desired ones and that no other resource of this app claims is
 * ours; none means create anew; more than one is for a person to sort out.
 */
async function recoverUnknownCreate(
  ctx: EngineContext,
  type: ResourceType,
  state: ResourceState,
  desired: Record<string, unknown>,
): Promise<{ state: ResourceState; identifier: string; adopted: boolean; resumed?: boolean }> {
  const claimed = new Set(
    ctx.store
      .list()
      .flatMap((s) => [s.identifier, ...s.retired])
      .filter(Boolean),
  );
  const wanted = storedProps(type, desired);
  const candidates: string[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.port.listResources({
      TypeName: type.typeName,
      ...(token ? { NextToken: token } : {}),
    });
    for (const description of page.ResourceDescriptions ?? []) {
      if (!description.Identifier || claimed.has(description.Identifier)) continue;
      const model = JSON.parse(description.Properties ?? "{}") as Record<string, unknown>;
      const view = storedProps(type, managedView(type, model, Object.keys(desired)));
      if (diffProps(type, view, wanted).length === 0) candidates.push(description.Identifier);
    }
    token = page.NextToken;
  } while (token);
  if (candidates.length === 1) {
    ctx.log(`  found the ${type.typeName} the interrupted create made: ${candidates[0]}`);
    return { state, identifier: candidates[0]!, adopted: true, resumed: true };
  }
  if (candidates.length > 1) {
    throw new ResourceConflictError(
      `an interrupted create of ${type.typeName} "${state.id}" left its outcome unknown and ${candidates.length} unclaimed resources match (${candidates.join(", ")}); delete the extras, or adopt one by declaring it with its identifier`,
    );
  }
  ctx.log(`  the interrupted create of ${type.typeName} "${state.id}" made nothing; creating it`);
  const fresh = await freshToken(ctx, state);
  const answer = await ctx.port.createResource({
    TypeName: type.typeName,
    DesiredState: JSON.stringify(desired),
    ClientToken: fresh.pending!.clientToken,
  });
  const event = await settle(ctx, fresh, answer.ProgressEvent);
  if (!event.Identifier) throw new Error(`CreateResource ${type.typeName} succeeded without an Identifier`);
  return { state: fresh, identifier: event.Identifier, adopted: false };
}

async function updateRemote(
  ctx: EngineContext,
  type: ResourceType,
  state: ResourceState,
  before: Record<string, unknown>,
  desired: Record<string, unknown>,
): Promise<ResourceState> {
  const patch = updatePatch(type, before, desired);
  if (patch.length === 0) return state;
  const identifier = state.identifier!;
  let current = await withPending(ctx, state, "UPDATE", identifier);
  const send = (token: string) =>
    ctx.port.updateResource({
      TypeName: type.typeName,
      Identifier: identifier,
      PatchDocument: JSON.stringify(patch),
      ClientToken: token,
    });
  const answer = await sendWithToken(ctx, current, send, (fresh) => {
    current = fresh;
  });
  await settle(ctx, current, answer.ProgressEvent);
  return current;
}

/** Deletes one identifier; a resource that is already gone counts as deleted. */
async function deleteRemote(
  ctx: EngineContext,
  type: ResourceType,
  state: ResourceState,
  identifier: string,
): Promise<ResourceState> {
  let current = await withPending(ctx, state, "DELETE", identifier);
  const send = (token: string) =>
    ctx.port.deleteResource({ TypeName: type.typeName, Identifier: identifier, ClientToken: token });
  try {
    const answer = await sendWithToken(ctx, current, send, (fresh) => {
      current = fresh;
    });
    await settle(ctx, current, answer.ProgressEvent);
  } catch (error) {
    const gone =
      isNotFound(error) || (error instanceof OperationFailedError && error.errorCode === "NotFound");
    if (!gone) throw error;
  }
  const { pending: _done, ...rest } = current;
  return rest;
}

/** The writable part of a live model, limited to `keys` (what the program manages). */
function managedView(type: ResourceType, model: Record<string, unknown>, keys: Iterable<string>) {
  const readOnly = readOnlyTopLevel(type);
  const view: Record<string, unknown> = {};
  for (const key of keys) if (!readOnly.has(key) && model[key] !== undefined) view[key] = model[key];
  return view;
}

async function finishRetired(ctx: EngineContext, type: ResourceType, state: ResourceState) {
  let current = state;
  for (const identifier of state.retired) {
    ctx.log(`  deleting replaced ${type.typeName} ${identifier}`);
    current = await deleteRemote(ctx, type, current, identifier);
    current = { ...current, retired: current.retired.filter((r) => r !== identifier) };
    await ctx.store.write(current);
  }
  return current;
}

async function recordApplied(
  ctx: EngineContext,
  type: ResourceType,
  state: ResourceState,
  identifier: string,
  desired: Record<string, unknown>,
): Promise<ResourceState> {
  const model = (await readModel(ctx, type, identifier)) ?? {};
  const { pending: _done, ...rest } = state;
  const next: ResourceState = {
    ...rest,
    identifier,
    props: storedProps(type, desired),
    attributes: attributesOf(type, model),
  };
  await ctx.store.write(next);
  return next;
}

/**
 * Brings one declared resource to its desired props: resumes what a crash left pending, then
 * creates, adopts, updates (RFC 6902 patch of what changed) or replaces (create new, then delete
 * old; delete first when the new one would take the old one's name), or does nothing.
 */
export async function applyResource(
  ctx: EngineContext,
  type: ResourceType,
  id: string,
  desired: Record<string, unknown>,
  options: { adopt: boolean; order: number },
): Promise<{ state: ResourceState; report: ResourceReport }> {
  let state = ctx.store.read(id) ?? freshState(id, type.typeName, options.order);
  if (state.typeName !== type.typeName) {
    throw new ResourceConflictError(
      `resource id "${id}" was a ${state.typeName} and is now declared as ${type.typeName}; give the new resource another id`,
    );
  }
  const report = (action: Action, changes: PropertyChange[] = []): ResourceReport => ({
    id,
    typeName: type.typeName,
    action,
    changes,
    ...(state.identifier ? { identifier: state.identifier } : {}),
  });
  state = await finishRetired(ctx, type, state);

  // A delete-before-create replacement that crashed between the two steps.
  if (state.pending?.operation === "DELETE" && state.pending.identifier === state.identifier) {
    state = await deleteRemote(ctx, type, state, state.identifier!);
    const { identifier: _gone, ...rest } = state;
    state = rest;
    await ctx.store.write(state);
  }

  if (state.pending?.operation === "CREATE" || !state.identifier) {
    const previous = state.identifier;
    const changes = diffProps(type, state.props ?? {}, storedProps(type, desired));
    if (!previous && options.adopt && !state.pending) {
      const identifier = identifierFromProps(type, desired);
      const model = identifier ? await readModel(ctx, type, identifier) : undefined;
      if (identifier && model) {
        state = await adoptExisting(ctx, type, state, identifier, model, desired);
        return { state, report: report("adopt", changes) };
      }
    }
    ctx.log(`  creating ${type.typeName} "${id}"`);
    const created = await createRemote(ctx, type, state, desired, options.adopt);
    state = created.state;
    if (previous && previous !== created.identifier) {
      state = { ...state, retired: [...state.retired, previous] };
    }
    if (created.adopted) {
      const model = (await readModel(ctx, type, created.identifier)) ?? {};
      state = await adoptExisting(ctx, type, state, created.identifier, model, desired);
      state = await finishRetired(ctx, type, state);
      return {
        state,
        report: report(created.resumed ? (previous ? "replace" : "create") : "adopt", changes),
      };
    }
    state = await recordApplied(ctx, type, state, created.identifier, desired);
    state = await finishRetired(ctx, type, state);
    return { state, report: report(previous ? "replace" : "create", changes) };
  }

  let before = state.props ?? {};
  if (state.pending?.operation === "UPDATE") {
    // The update may or may not have landed: diff against the live resource instead.
    const model = (await readModel(ctx, type, state.identifier)) ?? {};
    before = { ...pick(before, writeOnlyTopLevel(type)), ...managedView(type, model, Object.keys(desired)) };
  }
  const changes = diffProps(type, before, storedProps(type, desired));
  if (changes.length === 0) {
    if (state.pending) state = await recordApplied(ctx, type, state, state.identifier, desired);
    return { state, report: report("noop") };
  }
  if (changes.some((change) => change.createOnly)) {
    const old = state.identifier;
    const collides = identifierFromProps(type, desired) === old;
    ctx.log(`  replacing ${type.typeName} "${id}" (${old})`);
    if (collides) {
      state = await deleteRemote(ctx, type, state, old);
      const { identifier: _gone, ...rest } = state;
      state = rest;
      await ctx.store.write(state);
    }
    const created = await createRemote(ctx, type, state, desired, false);
    state = created.state;
    if (!collides) state = { ...state, retired: [...state.retired, old] };
    state = await recordApplied(ctx, type, state, created.identifier, desired);
    state = await finishRetired(ctx, type, state);
    return { state, report: report("replace", changes) };
  }
  ctx.log(`  updating ${type.typeName} "${id}"`);
  state = await updateRemote(ctx, type, state, before, desired);
  state = await recordApplied(ctx, type, state, state.identifier!, desired);
  return { state, report: report("update", changes) };
}

const pick = (record: Record<string, unknown>, keys: Set<string>) =>
  Object.fromEntries(Object.entries(record).filter(([key]) => keys.has(key)));

async function adoptExisting(
  ctx: EngineContext,
  type: ResourceType,
  state: ResourceState,
  identifier: string,
  model: Record<string, unknown>,
  desired: Record<string, unknown>,
): Promise<ResourceState> {
  ctx.log(`  adopting ${type.typeName} ${identifier}`);
  const before = managedView(type, model, Object.keys(desired));
  const blocking = diffProps(type, storedProps(type, before), storedProps(type, desired)).filter(
    (change) => change.createOnly && !writeOnlyTopLevel(type).has(change.path.split("/")[1] ?? ""),
  );
  if (blocking.length > 0) {
    throw new ResourceConflictError(
      `cannot adopt ${type.typeName} ${identifier} as "${state.id}": create-only ${blocking.map((c) => c.path).join(", ")} differ from the program; change the program to match, or remove adopt to create a new resource under another name`,
    );
  }
  let current: ResourceState = { ...state, identifier, adopted: true };
  await ctx.store.write(current);
  current = await updateRemote(ctx, type, current, before, desired);
  return recordApplied(ctx, type, current, identifier, desired);
}

/** Deletes a resource recorded in state (an orphan, or everything on destroy) and forgets it. */
export async function destroyResource(
  ctx: EngineContext,
  type: ResourceType,
  recorded: ResourceState,
): Promise<ResourceReport> {
  let state = await finishRetired(ctx, type, recorded);
  if (state.identifier) {
    ctx.log(`  deleting ${type.typeName} "${state.id}" (${state.identifier})`);
    state = await deleteRemote(ctx, type, state, state.identifier);
  }
  ctx.store.remove(state.id);
  return {
    id: state.id,
    typeName: type.typeName,
    action: "delete",
    changes: [],
    ...(recorded.identifier ? { identifier: recorded.identifier } : {}),
  };
}

/** What `applyResource` would do, from state alone: no call is made. */
export function planResource(
  type: ResourceType,
  id: string,
  recorded: ResourceState | undefined,
  desired: Record<string, unknown>,
): ResourceReport {
  const after = storedProps(type, desired);
  const base = { id, typeName: type.typeName };
  if (!recorded?.identifier) return { ...base, action: "create", changes: diffProps(type, {}, after) };
  const changes = diffProps(type, recorded.props ?? {}, after);
  const action: Action =
    recorded.pending?.operation === "CREATE"
      ? "replace"
      : changes.length === 0
        ? "noop"
        : changes.some((change) => change.createOnly)
          ? "replace"
          : "update";
  return { ...base, action, changes, identifier: recorded.identifier };
}

/** Compares what was last applied with the live resource, property by property. */
export async function driftResource(
  ctx: EngineContext,
  type: ResourceType,
  recorded: ResourceState,
): Promise<DriftReport> {
  const base = { id: recorded.id, typeName: type.typeName };
  if (!recorded.identifier) return { ...base, status: "not-created", differences: [] };
  const model = await readModel(ctx, type, recorded.identifier);
  if (!model) return { ...base, identifier: recorded.identifier, status: "deleted", differences: [] };
  const differences = driftOf(type, recorded.props ?? {}, model);
  return {
    ...base,
    identifier: recorded.identifier,
    status: differences.length === 0 ? "in-sync" : "drifted",
    differences,
  };
}
