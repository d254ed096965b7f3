import {
  type IdMappingTableProps,
  IdMappingTableResource,
} from "../../../schemas/clean-rooms/id-mapping-table.ts";
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
import { splitIdentifier } from "./id-namespace-association.ts";

export function idMappingTableToApi(props: IdMappingTableProps) {
  return defined({
    membershipIdentifier: props.MembershipIdentifier,
    name: props.Name,
    description: props.Description,
    inputReferenceConfig: {
      inputReferenceArn: props.InputReferenceConfig.InputReferenceArn,
      manageResourcePolicies: props.InputReferenceConfig.ManageResourcePolicies,
    },
    kmsKeyArn: props.KmsKeyArn,
    tags: tagsToMap(props.Tags),
  });
}

export function idMappingTableFromApi(table: ApiObject, tags: Record<string, string>) {
  return defined({
    IdMappingTableIdentifier: table["id"],
    Arn: table["arn"],
    MembershipIdentifier: table["membershipId"],
    MembershipArn: table["membershipArn"],
    CollaborationIdentifier: table["collaborationId"],
    CollaborationArn: table["collaborationArn"],
    Name: table["name"],
    Description: table["description"],
    InputReferenceConfig: upperKeys(table["inputReferenceConfig"]),
    InputReferenceProperties: upperKeys(table["inputReferenceProperties"]),
    KmsKeyArn: table["kmsKeyArn"],
    Tags: tagsFromMap(tags),
  });
}

export function idMappingTableProvider(service: AwsService): ResourceProvider {
  const ops = service.operations;
  const read = async (identifier: string, ctx: RequestContext) => {
    const [id, membershipId] = splitIdentifier(identifier);
    const output = await readOrUndefined(
      ops["GetIdMappingTable"]!,
      { membershipIdentifier: membershipId, idMappingTableIdentifier: id },
      ctx,
    );
    if (!output) return undefined;
    const table = output["idMappingTable"] as ApiObject;
    const tags = await ops["ListTagsForResource"]!({ resourceArn: table["arn"] }, ctx);
    return idMappingTableFromApi(table, tags["tags"]);
  };
  return {
    type: IdMappingTableResource,
    async create(desired, ctx) {
      const props = IdMappingTableResource.props.parse(desired);
      const output = await ops["CreateIdMappingTable"]!(idMappingTableToApi(props), ctx);
      const identifier = `${output["idMappingTable"].id}|${props.MembershipIdentifier}`;
      return { identifier, model: (await read(identifier, ctx))! };
    },
    read,
    async update(identifier, desired, ctx) {
      const [id, membershipId] = splitIdentifier(identifier);
      const props = IdMappingTableResource.props.parse(desired);
      const output = await ops["UpdateIdMappingTable"]!(
        defined({
          membershipIdentifier: membershipId,
          idMappingTableIdentifier: id,
          description: props.Description,
          kmsKeyArn: props.KmsKeyArn,
        }),
        ctx,
      );
      const arn = output["idMappingTable"].arn as string;
      const current = await ops["ListTagsForResource"]!({ resourceArn: arn }, ctx);
      await syncTags(ops, arn, current["tags"], tagsToMap(props.Tags), ctx);
      return (await read(identifier, ctx))!;
    },
    async delete(identifier, ctx) {
      const [id, membershipId] = splitIdentifier(identifier);
      if (!(await read(identifier, ctx))) throw crNotFound("ID_MAPPING_TABLE", id);
      await ops["DeleteIdMappingTable"]!(
        { membershipIdentifier: membershipId, idMappingTableIdentifier: id },
        ctx,
      );
    },
    async list(ctx, resourceModel) {
      const membershipId = resourceModel?.["MembershipIdentifier"];
      if (typeof membershipId !== "string") {
        throw crValidation(
          "Listing AWS::CleanRooms::IdMappingTable needs ResourceModel.MembershipIdentifier",
        );
      }
      const summaries = await listAll(
        ops["ListIdMappingTables"]!,
        { membershipIdentifier: membershipId },
        "idMappingTableSummaries",
        ctx,
      );
      const models = await Promise.all(
        summaries.map((summary) => read(`${summary["id"]}|${membershipId}`, ctx)),
      );
      return models.flatMap((model) =>
        model ? [{ identifier: `${model["IdMappingTableIdentifier"]}|${membershipId}`, model }] : [],
      );
    },
  };
}
