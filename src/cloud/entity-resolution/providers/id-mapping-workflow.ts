import {
  type IdMappingWorkflowProps,
  IdMappingWorkflowResource,
} from "../../../schemas/entity-resolution/id-mapping-workflow.ts";
import { tagsFromMap, tagsToMap } from "../../../schemas/entity-resolution/shared.ts";
import { notFound } from "../../aws-error.ts";
import { readOrUndefined } from "../../kit/aws-errors.ts";
import { listAll } from "../../kit/calls.ts";
import { type ApiObject, compact, isoTime } from "../../kit/shapes.ts";
import { syncTags } from "../../kit/tagging.ts";
import type { ResourceProvider } from "../../provider.ts";
import type { AwsService, RequestContext } from "../../service.ts";
import { erArn, parseErArn } from "../arns.ts";

/** CloudFormation model -> CreateIdMappingWorkflow input (CloudFormation names schemas by ARN, the API by name). */
export function idMappingWorkflowToApi(props: IdMappingWorkflowProps) {
  const rules = props.IdMappingTechniques.RuleBasedProperties;
  const provider = props.IdMappingTechniques.ProviderProperties;
  return compact({
    workflowName: props.WorkflowName,
    description: props.Description,
    inputSourceConfig: props.InputSourceConfig.map((source) =>
      compact({
        inputSourceARN: source.InputSourceARN,
        schemaName: source.SchemaArn ? parseErArn(source.SchemaArn, "schemamapping")?.name : undefined,
        type: source.Type,
      }),
    ),
    outputSourceConfig: props.OutputSourceConfig?.map((output) =>
      compact({ outputS3Path: output.OutputS3Path, KMSArn: output.KMSArn }),
    ),
    idMappingTechniques: compact({
      idMappingType: props.IdMappingTechniques.IdMappingType ?? "RULE_BASED",
      ruleBasedProperties:
        rules &&
        compact({
          rules: rules.Rules?.map((rule) => ({ ruleName: rule.RuleName, matchingKeys: rule.MatchingKeys })),
          ruleDefinitionType: rules.RuleDefinitionType ?? "SOURCE",
          attributeMatchingModel: rules.AttributeMatchingModel,
          recordMatchingModel: rules.RecordMatchingModel,
        }),
      providerProperties:
        provider &&
        compact({
          providerServiceArn: provider.ProviderServiceArn,
          providerConfiguration: provider.ProviderConfiguration,
          intermediateSourceConfiguration: provider.IntermediateSourceConfiguration && {
            intermediateS3Path: provider.IntermediateSourceConfiguration.IntermediateS3Path,
          },
        }),
    }),
    incrementalRunConfig: props.IdMappingIncrementalRunConfig && {
      incrementalRunType: props.IdMappingIncrementalRunConfig.IncrementalRunType,
    },
    roleArn: props.RoleArn,
    tags: tagsToMap(props.Tags),
  });
}

/** GetIdMappingWorkflow output -> CloudFormation model. */
export function idMappingWorkflowFromApi(output: ApiObject, ctx: RequestContext): Record<string, unknown> {
  const technique = output["idMappingTechniques"] as ApiObject;
  const rules = technique["ruleBasedProperties"] as ApiObject | undefined;
  const provider = technique["providerProperties"] as ApiObject | undefined;
  const incremental = output["incrementalRunConfig"] as ApiObject | undefined;
  return compact({
    WorkflowName: output["workflowName"],
    WorkflowArn: output["workflowArn"],
    Description: output["description"],
    InputSourceConfig: (output["inputSourceConfig"] as Array<ApiObject>).map((source) =>
      compact({
        InputSourceARN: source["inputSourceARN"],
        SchemaArn: source["schemaName"]
          ? erArn(ctx.region, ctx.accountId, "schemamapping", source["schemaName"])
          : undefined,
        Type: source["type"],
      }),
    ),
    OutputSourceConfig: (output["outputSourceConfig"] as Array<ApiObject> | undefined)?.map((o) =>
      compact({ OutputS3Path: o["outputS3Path"], KMSArn: o["KMSArn"] }),
    ),
    IdMappingTechniques: compact({
      IdMappingType: technique["idMappingType"],
      RuleBasedProperties:
        rules &&
        compact({
          Rules: (rules["rules"] as Array<{ ruleName: string; matchingKeys: string[] }> | undefined)?.map(
            (rule) => ({
              RuleName: rule.ruleName,
              MatchingKeys: rule.matchingKeys,
            }),
          ),
          RuleDefinitionType: rules["ruleDefinitionType"],
          AttributeMatchingModel: rules["attributeMatchingModel"],
          RecordMatchingModel: rules["recordMatchingModel"],
        }),
      ProviderProperties:
        provider &&
        compact({
          ProviderServiceArn: provider["providerServiceArn"],
          ProviderConfiguration: provider["providerConfiguration"],
          IntermediateSourceConfiguration: provider["intermediateSourceConfiguration"] && {
            IntermediateS3Path: provider["intermediateSourceConfiguration"].intermediateS3Path,
          },
        }),
    }),
    IdMappingIncrementalRunConfig:
      incremental && compact({ IncrementalRunType: incremental["incrementalRunType"] }),
    RoleArn: output["roleArn"],
    Tags: tagsFromMap(output["tags"]),
    CreatedAt: isoTime(output["createdAt"]),
    UpdatedAt: isoTime(output["updatedAt"]),
  });
}

export function idMappingWorkflowProvider(service: AwsService): ResourceProvider {
  const ops = service.operations;
  const read = async (identifier: string, ctx: RequestContext) => {
    const output = await readOrUndefined(ops["GetIdMappingWorkflow"]!, { workflowName: identifier }, ctx);
    return output && idMappingWorkflowFromApi(output, ctx);
  };
  return {
    type: IdMappingWorkflowResource,
    async create(desired, ctx) {
      const props = IdMappingWorkflowResource.props.parse(desired);
      await ops["CreateIdMappingWorkflow"]!(idMappingWorkflowToApi(props), ctx);
      return { identifier: props.WorkflowName, model: (await read(props.WorkflowName, ctx))! };
    },
    read,
    async update(identifier, desired, ctx) {
      const props = IdMappingWorkflowResource.props.parse(desired);
      const current = await ops["GetIdMappingWorkflow"]!({ workflowName: identifier }, ctx);
      const { tags, ...update } = idMappingWorkflowToApi(props);
      await ops["UpdateIdMappingWorkflow"]!(update, ctx);
      await syncTags(ops, current["workflowArn"], current["tags"], tags, ctx);
      return (await read(identifier, ctx))!;
    },
    async delete(identifier, ctx) {
      if (!(await read(identifier, ctx)))
        throw notFound(`The ID mapping workflow ${identifier} does not exist`);
      await ops["DeleteIdMappingWorkflow"]!({ workflowName: identifier }, ctx);
    },
    async list(ctx) {
      const summaries = await listAll(ops["ListIdMappingWorkflows"]!, {}, "workflowSummaries", ctx);
      const models = await Promise.all(summaries.map((summary) => read(summary["workflowName"], ctx)));
      return models.flatMap((model) =>
        model ? [{ identifier: model["WorkflowName"] as string, model }] : [],
      );
    },
  };
}
