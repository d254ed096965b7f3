import {
  type IdNamespaceAssociationProps,
  IdNamespaceAssociationResource,
} from "../../../schemas/clean-rooms/id-namespace-association.ts";
import { tagsFromMap, tagsToMap } from "../../../schemas/clean-rooms/shared.ts";
import type { ResourceProvider } from "../../cloudcontrol/provider.ts";
import {
  type ApiObject,
  defined,
  listAll,
  readOrUndefined,
  syncTags,
} from "../../entity-resolution/providers/shared.ts";
import type { AwsService, RequestContext } from "../../service.ts";
import { crNotFound, crValidation } from "../errors.ts";
import { upperKeys } from "./case.ts";

/** "associationId|membershipId", the type's primary identifier joined as Cloud Control does. */
export function splitIdentifier(identifier: string): [id: string, membershipId: string] {
  const [id, membershipId] = identifier.split("|");
  if (!id || !membershipId) throw crValidation(`Identifier ${identifier} must be "<id>|<membershipId>"`);
  return [id, membershipId];
}

export function idNamespaceAssociationToApi(props: IdNamespaceAssociationProps) {
  return defined({
    membershipIdentifier: props.MembershipIdentifier,
    name: props.Name,
    description: props.Description,
    inputReferenceConfig: {
      inputReferenceArn: props.InputReferenceConfig.InputReferenceArn,
      manageResourcePolicies: props.InputReferenceConfig.ManageResourcePolicies,
    },
    idMappingConfig: props.IdMappingConfig && {
      allowUseAsDimensionColumn: props.IdMappingConfig.AllowUseAsDimensionColumn,
    },
    tags: tagsToMap(props.Tags),
  });
}

export function idNamespaceAssociationFromApi(association: ApiObject, tags: Record<string, string>) {
  return defined({
    IdNamespaceAssociationIdentifier: association["id"],
    Arn: association["arn"],
    MembershipIdentifier: association["membershipId"],
    MembershipArn: association["membershipArn"],
    CollaborationIdentifier: association["collaborationId"],
    CollaborationArn: association["collaborationArn"],
    Name: association["name"],
    Description: association["description"],
    InputReferenceConfig: upperKeys(association["inputReferenceConfig"]),
    InputReferenceProperties: defined({
      IdNamespaceType: association["inputReferenceProperties"]?.idNamespaceType,
      IdMappingWorkflowsSupported: association["inputReferenceProperties"]?.idMappingWorkflowsSupported,
    }),
    IdMappingConfig: upperKeys(association["idMappingConfig"]),
    Tags: tagsFromMap(tags),
  });
}

export function idNamespaceAssociationProvider(service: AwsService): ResourceProvider {
  const ops = service.operations;
  const read = async (identifier: string, ctx: RequestContext) => {
    const [id, membershipId] = splitIdentifier(identifier);
    const output = await readOrUndefined(
      ops["GetIdNamespaceAssociation"]!,
      { membershipIdentifier: membershipId, idNamespaceAssociationIdentifier: id },
      ctx,
    );
    if (!output) return undefined;
    const association = output["idNamespaceAssociation"] as ApiObject;
    const tags = await ops["ListTagsForResource"]!({ resourceArn: association["arn"] }, ctx);
    return idNamespaceAssociationFromApi(association, tags["tags"]);
  };
  return {
    type: IdNamespaceAssociationResource,
    async create(desired, ctx) {
      const props = IdNamespaceAssociationResource.props.parse(desired);
      const output = await ops["CreateIdNamespaceAssociation"]!(idNamespaceAssociationToApi(props), ctx);
      const identifier = `${output["idNamespaceAssociation"].id}|${props.MembershipIdentifier}`;
      return { identifier, model: (await read(identifier, ctx))! };
    },
    read,
    async update(identifier, desired, ctx) {
      const [id, membershipId] = splitIdentifier(identifier);
      const props = IdNamespaceAssociationResource.props.parse(desired);
      const api = idNamespaceAssociationToApi(props);
      const output = await ops["UpdateIdNamespaceAssociation"]!(
        defined({
          membershipIdentifier: membershipId,
          idNamespaceAssociationIdentifier: id,
          name: api.name,
          description: api.description,
          idMappingConfig: api.idMappingConfig,
        }),
        ctx,
      );
      const arn = output["idNamespaceAssociation"].arn as string;
      const current = await ops["ListTagsForResource"]!({ resourceArn: arn }, ctx);
      await syncTags(ops, arn, current["tags"], api.tags, ctx);
      return (await read(identifier, ctx))!;
    },
    async delete(identifier, ctx) {
      const [id, membershipId] = splitIdentifier(identifier);
      if (!(await read(identifier, ctx))) throw crNotFound("ID_NAMESPACE_ASSOCIATION", id);
      await ops["DeleteIdNamespaceAssociation"]!(
        { membershipIdentifier: membershipId, idNamespaceAssociationIdentifier: id },
        ctx,
      );
    },
    async list(ctx, resourceModel) {
      const membershipId = resourceModel?.["MembershipIdentifier"];
      if (typeof membershipId !== "string") {
        throw crValidation(
          "Listing AWS::CleanRooms::IdNamespaceAssociation needs ResourceModel.MembershipIdentifier",
        );
      }
      const summaries = await listAll(
        ops["ListIdNamespaceAssociations"]!,
        { membershipIdentifier: membershipId },
        "idNamespaceAssociationSummaries",
        ctx,
      );
      const models = await Promise.all(
        summaries.map((summary) => read(`${summary["id"]}|${membershipId}`, ctx)),
      );
      return models.flatMap((model) =>
        model ? [{ identifier: `${model["IdNamespaceAssociationIdentifier"]}|${membershipId}`, model }] : [],
      );
    },
  };
}
