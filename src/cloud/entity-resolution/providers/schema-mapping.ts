import {
  type SchemaMappingProps,
  SchemaMappingResource,
} from "../../../schemas/entity-resolution/schema-mapping.ts";
import { tagsFromMap, tagsToMap } from "../../../schemas/entity-resolution/shared.ts";
import { notFound } from "../../aws-error.ts";
import { readOrUndefined } from "../../kit/aws-errors.ts";
import { listAll } from "../../kit/calls.ts";
import { type ApiObject, compact, isoTime } from "../../kit/shapes.ts";
import { syncTags } from "../../kit/tagging.ts";
import type { ResourceProvider } from "../../provider.ts";
import type { AwsService } from "../../service.ts";

/** CloudFormation model -> CreateSchemaMapping input. */
export function schemaMappingToApi(props: SchemaMappingProps) {
  return compact({
    schemaName: props.SchemaName,
    description: props.Description,
    mappedInputFields: props.MappedInputFields.map((field) =>
      compact({
        fieldName: field.FieldName,
        type: field.Type,
        groupName: field.GroupName,
        matchKey: field.MatchKey,
        subType: field.SubType,
        hashed: field.Hashed,
      }),
    ),
    tags: tagsToMap(props.Tags),
  });
}

/** GetSchemaMapping output -> CloudFormation model. */
export function schemaMappingFromApi(output: ApiObject): Record<string, unknown> {
  return compact({
    SchemaName: output["schemaName"],
    SchemaArn: output["schemaArn"],
    Description: output["description"],
    MappedInputFields: (output["mappedInputFields"] as Array<ApiObject>).map((field) =>
      compact({
        FieldName: field["fieldName"],
        Type: field["type"],
        GroupName: field["groupName"],
        MatchKey: field["matchKey"],
        SubType: field["subType"],
        Hashed: field["hashed"],
      }),
    ),
    Tags: tagsFromMap(output["tags"]),
    CreatedAt: isoTime(output["createdAt"]),
    UpdatedAt: isoTime(output["updatedAt"]),
    HasWorkflows: output["hasWorkflows"],
  });
}

export function schemaMappingProvider(service: AwsService): ResourceProvider {
  const ops = service.operations;
  const read = async (identifier: string, ctx: Parameters<ResourceProvider["read"]>[1]) => {
    const output = await readOrUndefined(ops["GetSchemaMapping"]!, { schemaName: identifier }, ctx);
    return output && schemaMappingFromApi(output);
  };
  return {
    type: SchemaMappingResource,
    async create(desired, ctx) {
      const props = SchemaMappingResource.props.parse(desired);
      await ops["CreateSchemaMapping"]!(schemaMappingToApi(props), ctx);
      return { identifier: props.SchemaName, model: (await read(props.SchemaName, ctx))! };
    },
    read,
    async update(identifier, desired, ctx) {
      const props = SchemaMappingResource.props.parse(desired);
      const current = await ops["GetSchemaMapping"]!({ schemaName: identifier }, ctx);
      const wanted = schemaMappingToApi(props);
      // Description and MappedInputFields change through ER's UpdateSchemaMapping (which refuses while a workflow uses the mapping).
      if (
        JSON.stringify(wanted.mappedInputFields) !== JSON.stringify(current["mappedInputFields"]) ||
        wanted.description !== current["description"]
      ) {
        await ops["UpdateSchemaMapping"]!(
          compact({
            schemaName: identifier,
            description: wanted.description,
            mappedInputFields: wanted.mappedInputFields,
          }),
          ctx,
        );
      }
      await syncTags(ops, current["schemaArn"], current["tags"], tagsToMap(props.Tags), ctx);
      return (await read(identifier, ctx))!;
    },
    async delete(identifier, ctx) {
      if (!(await read(identifier, ctx))) throw notFound(`The schema mapping ${identifier} does not exist`);
      await ops["DeleteSchemaMapping"]!({ schemaName: identifier }, ctx);
    },
    async list(ctx) {
      const summaries = await listAll(ops["ListSchemaMappings"]!, {}, "schemaList", ctx);
      const models = await Promise.all(summaries.map((summary) => read(summary["schemaName"], ctx)));
      return models.flatMap((model) => (model ? [{ identifier: model["SchemaName"] as string, model }] : []));
    },
  };
}
