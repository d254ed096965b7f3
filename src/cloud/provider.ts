import type { ResourceType } from "../schemas/resource-type.ts";
import type { RequestContext } from "./service.ts";

/**
 * One Cloud Control resource provider per CloudFormation type. The Cloud Control engine validates
 * desired state with `type.props` before calling create/update, turns RFC 6902 patches into the
 * next desired state, enforces create-only properties, tracks requests and ClientTokens, and
 * renders ProgressEvents. Providers only talk to their service. Models are CloudFormation-shaped
 * (PascalCase), read-only properties included, write-only ones omitted. Errors are AwsError with
 * the service's code; the engine maps them to HandlerErrorCode (NotFound, AlreadyExists, ...).
 */
export interface ResourceProvider {
  readonly type: ResourceType;
  /**
   * Optional: fills in the names the service would generate (e.g. a BucketName) before the request
   * is recorded, so its identifier is known up front and a create cut short by a crash can be
   * finished on restart. Must be deterministic for a given requestToken.
   */
  withGeneratedNames?(desired: Record<string, unknown>, requestToken: string): Record<string, unknown>;
  /**
   * Optional, for types whose identifier is not a property of the desired state (the service
   * assigns it, or folds a name's case): the identifier create will return for this request. Ids the
   * service assigns inside a Cloud Control create are kit/resource-ids.ts's resourceIdFor(requestToken).
   */
  identifierFor?(desired: Record<string, unknown>, requestToken: string): string | undefined;
  /** Creates the resource; returns its Cloud Control identifier ("a|b" for compound keys) and model. */
  create(
    desired: Record<string, unknown>,
    ctx: RequestContext,
  ): Promise<{ identifier: string; model: Record<string, unknown> }>;
  /** The current model, or undefined when the resource does not exist. */
  read(identifier: string, ctx: RequestContext): Promise<Record<string, unknown> | undefined>;
  /** Applies a desired state whose create-only properties equal the current ones. */
  update(
    identifier: string,
    desired: Record<string, unknown>,
    ctx: RequestContext,
  ): Promise<Record<string, unknown>>;
  delete(identifier: string, ctx: RequestContext): Promise<void>;
  /** Every resource of the type; resourceModel narrows where the type requires it (e.g. MembershipIdentifier). */
  list(
    ctx: RequestContext,
    resourceModel?: Record<string, unknown>,
  ): Promise<Array<{ identifier: string; model: Record<string, unknown> }>>;
}
