import {
  type IdNamespaceProps,
  IdNamespaceResource,
} from "../../../schemas/entity-resolution/id-namespace.ts";
import { tagsFromMap, tagsToMap } from "../../../schemas/entity-resolution/shared.ts";
import { notFound } from "../../aws-error.ts";
import { readOrUndefined } from "../../kit/aws-errors.ts";
import { listAll } from "../../kit/calls.ts";
import { type ApiObject, compact, isoTime } from "../../kit/shapes.ts";
import { syncTags } from "../../kit/tagging.ts";
import { refuseUpdateGaps } from "../../kit/update-gaps.ts";
import type { ResourceProvider } from "../../provider.ts";
import type { AwsService } from "../../service.ts";

const rulesToApi = (rules: Array<{ RuleName: string; MatchingKeys: string[] }> | undefined) =>
  rules?.map((rule) => ({ ruleName: rule.RuleName, matchingKeys: rule.MatchingKeys }));
const rulesFromApi = (rules: Array<{ ruleName: string; matchingKeys: string[] }> | undefined) =>
  rules?.map((rule) => ({ RuleName: rule.ruleName, MatchingKeys: rule.matchingKeys }));

/** CloudFormation model -> CreateIdNamespace input. */
export function idNamespaceToApi(props: IdNamespaceProps) {
  return compact({
    idNamespaceName: props.IdNamespaceName,
    description: props.Description,
    type: props.Type,
    roleArn: props.RoleArn,
    inputSourceConfig: props.InputSourceConfig?.map((source) =>
      compact({ inputSourceARN: source.InputSourceARN, schemaName: source.SchemaName }),
    ),
    idMappingWorkflowProperties: props.IdMappingWorkflowProperties?.map((properties) =>
      compact({
        idMappingType: properties.IdMappingType,
        ruleBasedProperties:
          properties.RuleBasedProperties &&
          compact({
            rules: rulesToApi(properties.RuleBasedProperties.Rules),
            ruleDefinitionTypes: properties.RuleBasedProperties.RuleDefinitionTypes,
            attributeMatchingModel: properties.RuleBasedProperties.AttributeMatchingModel,
            recordMatchingModels: properties.RuleBasedProperties.RecordMatchingModels,
          }),
        providerProperties:
          properties.ProviderProperties &&
          compact({
            providerServiceArn: properties.ProviderProperties.ProviderServiceArn,
            providerConfiguration: properties.ProviderProperties.ProviderConfiguration,
          }),
      }),
    ),
    tags: tagsToMap(props.Tags),
  });
}

/** GetIdNamespace output -> CloudFormation model. */
export function idNamespaceFromApi(output: ApiObject): Record<string, unknown> {
  return compact({
    IdNamespaceName: output["idNamespaceName"],
    IdNamespaceArn: output["idNamespaceArn"],
    Description: output["description"],
    Type: output["type"],
    RoleArn: output["roleArn"],
    InputSourceConfig: (output["inputSourceConfig"] as Array<ApiObject> | undefined)?.map((source) =>
      compact({ InputSourceARN: source["inputSourceARN"], SchemaName: source["schemaName"] }),
    ),
    IdMappingWorkflowProperties: (output["idMappingWorkflowProperties"] as Array<ApiObject> | undefined)?.map(
      (properties) =>
        compact({
          IdMappingType: properties["idMappingType"],
          RuleBasedProperties:
            properties["ruleBasedProperties"] &&
            compact({
              Rules: rulesFromApi(properties["ruleBasedProperties"].rules),
              RuleDefinitionTypes: properties["ruleBasedProperties"].ruleDefinitionTypes,
              AttributeMatchingModel: properties["ruleBasedProperties"].attributeMatchingModel,
              RecordMatchingModels: properties["ruleBasedProperties"].recordMatchingModels,
            }),
          ProviderProperties:
            properties["providerProperties"] &&
            compact({
              ProviderServiceArn: properties["providerProperties"].providerServiceArn,
              ProviderConfiguration: properties["providerProperties"].providerConfiguration,
            }),
        }),
    ),
    Tags: tagsFromMap(output["tags"]),
    CreatedAt: isoTime(output["createdAt"]),
    UpdatedAt: isoTime(output["updatedAt"]),
  });
}

export function idNamespaceProvider(service: AwsService): ResourceProvider {
  const ops = service.operations;
  const read = async (identifier: string, ctx: Parameters<ResourceProvider["read"]>[1]) => {
    const output = await readOrUndefined(ops["GetIdNamespace"]!, { idNamespaceName: identifier }, ctx);
    return output && idNamespaceFromApi(output);
  };
  return {
    type: IdNamespaceResource,
    async create(desired, ctx) {
      const props = IdNamespaceResource.props.parse(desired);
      await ops["CreateIdNamespace"]!(idNamespaceToApi(props), ctx);
      return { identifier: props.IdNamespaceName, model: (await read(props.IdNamespaceName, ctx))! };
    },
    read,
    async update(identifier, desired, ctx) {
      const props = IdNamespaceResource.props.parse(desired);
      const current = await ops["GetIdNamespace"]!({ idNamespaceName: identifier }, ctx);
      refuseUpdateGaps(IdNamespaceResource.typeName, idNamespaceFromApi(current), props);
      const { tags, type: _type, ...update } = idNamespaceToApi(props);
      await ops["UpdateIdNamespace"]!(update, ctx);
      await syncTags(ops, current["idNamespaceArn"], current["tags"], tags, ctx);
      return (await read(identifier, ctx))!;
    },
    async delete(identifier, ctx) {
      if (!(await read(identifier, ctx))) throw notFound(`The ID namespace ${identifier} does not exist`);
      await ops["DeleteIdNamespace"]!({ idNamespaceName: identifier }, ctx);
    },
    async list(ctx) {
      const summaries = await listAll(ops["ListIdNamespaces"]!, {}, "idNamespaceSummaries", ctx);
      const models = await Promise.all(summaries.map((summary) => read(summary["idNamespaceName"], ctx)));
      return models.flatMap((model) =>
        model ? [{ identifier: model["IdNamespaceName"] as string, model }] : [],
      );
    },
  };
}
