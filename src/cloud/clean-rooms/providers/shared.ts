import type { z } from "zod";
import type { ResourceType } from "../../../schemas/resource-type.ts";
import { readOrUndefined } from "../../kit/aws-errors.ts";
import { listAll } from "../../kit/calls.ts";
import { resourceIdFor } from "../../kit/resource-ids.ts";
import { type ApiObject, compact } from "../../kit/shapes.ts";
import { syncTags } from "../../kit/tagging.ts";
import type { ResourceProvider } from "../../provider.ts";
import type { AwsService, Operation, RequestContext } from "../../service.ts";
import { crNotFound, crValidation } from "../errors.ts";
import { upperKeys } from "./case.ts";

type Operations = Readonly<Record<string, Operation>>;

/**
 * Runs a Clean Rooms Get operation and reads the resource's tags (Get does not carry them):
 * undefined when the resource does not exist.
 */
export async function readWithTags(
  ops: Operations,
  get: string,
  input: Record<string, unknown>,
  member: string,
  ctx: RequestContext,
): Promise<{ resource: ApiObject; tags: Record<string, string> } | undefined> {
  const output = await readOrUndefined(ops[get]!, input, ctx);
  if (!output) return undefined;
  const resource = output[member] as ApiObject;
  const tags = await ops["ListTagsForResource"]!({ resourceArn: resource["arn"] }, ctx);
  return { resource, tags: tags["tags"] };
}

/** Brings the tags of the resource at `arn` to `desired` (Update operations leave tags alone). */
export async function syncTagsOf(
  ops: Operations,
  arn: string,
  desired: Record<string, string> | undefined,
  ctx: RequestContext,
): Promise<void> {
  const current = await ops["ListTagsForResource"]!({ resourceArn: arn }, ctx);
  await syncTags(ops, arn, current["tags"], desired, ctx);
}

/** The models that still exist (a resource deleted between List and Get is left out), with their identifiers. */
export function existing(
  models: Array<Record<string, unknown> | undefined>,
  identifierOf: (model: Record<string, unknown>) => string,
): Array<{ identifier: string; model: Record<string, unknown> }> {
  return models.flatMap((model) => (model ? [{ identifier: identifierOf(model), model }] : []));
}

/** "id|membershipId", a membership-scoped type's primary identifier joined as Cloud Control does. */
export function splitIdentifier(identifier: string): [id: string, membershipId: string] {
  const [id, membershipId] = identifier.split("|");
  if (!id || !membershipId) throw crValidation(`Identifier ${identifier} must be "<id>|<membershipId>"`);
  return [id, membershipId];
}

/** The CloudFormation properties every membership-scoped type shares, as the Create input has them. */
export function membershipChildToApi(props: {
  MembershipIdentifier: string;
  Name: string;
  Description?: string | undefined;
  InputReferenceConfig: { InputReferenceArn: string; ManageResourcePolicies: boolean };
}) {
  return {
    membershipIdentifier: props.MembershipIdentifier,
    name: props.Name,
    description: props.Description,
    inputReferenceConfig: {
      inputReferenceArn: props.InputReferenceConfig.InputReferenceArn,
      manageResourcePolicies: props.InputReferenceConfig.ManageResourcePolicies,
    },
  };
}

/** The model properties every membership-scoped type shares, from its Get output (after its own id). */
export function membershipChildFromApi(resource: ApiObject) {
  return {
    Arn: resource["arn"],
    MembershipIdentifier: resource["membershipId"],
    MembershipArn: resource["membershipArn"],
    CollaborationIdentifier: resource["collaborationId"],
    CollaborationArn: resource["collaborationArn"],
    Name: resource["name"],
    // An update that removes the Description sends "" (the API's way to clear it): the model then has none.
    Description: resource["description"] || undefined,
    InputReferenceConfig: upperKeys(resource["inputReferenceConfig"]),
  };
}

/** What differs between the resource types that live inside a membership. */
export interface MembershipChildSpec<T extends ResourceType, Props = z.infer<T["props"]>> {
  type: T;
  /** The API's noun, e.g. "IdMappingTable" (Create/Get/Update/Delete/List<noun>s). */
  noun: string;
  /** The API's member for the resource in outputs and, with "Identifier", in inputs, e.g. "idMappingTable". */
  member: string;
  /** Clean Rooms' ResourceNotFoundException resourceType, e.g. "ID_MAPPING_TABLE". */
  notFoundType: string;
  /** The model's own id property, e.g. "IdMappingTableIdentifier". */
  idProperty: string;
  toApi(props: Props): Record<string, unknown> & { tags?: Record<string, string> };
  fromApi(resource: ApiObject, tags: Record<string, string>): Record<string, unknown>;
  /** The Update<noun> input's own members (the identifiers are added). */
  updateInput(props: Props): Record<string, unknown>;
}

/**
 * The Cloud Control provider of a Clean Rooms type that lives inside a membership (ID namespace
 * association, ID mapping table): identified by "id|membershipId", listed per membership.
 */
export function membershipChildProvider<T extends ResourceType>(
  service: AwsService,
  spec: MembershipChildSpec<T>,
): ResourceProvider {
  type Props = z.infer<T["props"]>;
  // TypeScript widens T["props"].parse to ZodObject's inside the generic; the value is T's props.
  const parse = (desired: Record<string, unknown>) => spec.type.props.parse(desired) as Props;
  const ops = service.operations;
  const idMember = `${spec.member}Identifier`;
  const keyOf = (identifier: string) => {
    const [id, membershipId] = splitIdentifier(identifier);
    return { membershipIdentifier: membershipId, [idMember]: id };
  };
  const read = async (identifier: string, ctx: RequestContext) => {
    const found = await readWithTags(ops, `Get${spec.noun}`, keyOf(identifier), spec.member, ctx);
    return found && spec.fromApi(found.resource, found.tags);
  };
  return {
    type: spec.type,
    identifierFor: (desired, requestToken) =>
      `${resourceIdFor(requestToken)}|${desired["MembershipIdentifier"]}`,
    async create(desired, ctx) {
      const props = parse(desired);
      const output = await ops[`Create${spec.noun}`]!(spec.toApi(props), ctx);
      const identifier = `${output[spec.member].id}|${props["MembershipIdentifier"]}`;
      return { identifier, model: (await read(identifier, ctx))! };
    },
    read,
    async update(identifier, desired, ctx) {
      const props = parse(desired);
      const output = await ops[`Update${spec.noun}`]!(
        compact({ ...keyOf(identifier), ...spec.updateInput(props) }),
        ctx,
      );
      await syncTagsOf(ops, output[spec.member].arn as string, spec.toApi(props).tags, ctx);
      return (await read(identifier, ctx))!;
    },
    async delete(identifier, ctx) {
      if (!(await read(identifier, ctx))) throw crNotFound(spec.notFoundType, splitIdentifier(identifier)[0]);
      await ops[`Delete${spec.noun}`]!(keyOf(identifier), ctx);
    },
    async list(ctx, resourceModel) {
      const membershipId = resourceModel?.["MembershipIdentifier"];
      if (typeof membershipId !== "string") {
        throw crValidation(`Listing ${spec.type.typeName} needs ResourceModel.MembershipIdentifier`);
      }
      const summaries = await listAll(
        ops[`List${spec.noun}s`]!,
        { membershipIdentifier: membershipId },
        `${spec.member}Summaries`,
        ctx,
      );
      const models = await Promise.all(
        summaries.map((summary) => read(`${summary["id"]}|${membershipId}`, ctx)),
      );
      return existing(models, (model) => `${model[spec.idProperty]}|${membershipId}`);
    },
  };
}
