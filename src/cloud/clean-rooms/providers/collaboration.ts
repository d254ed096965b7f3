import {
  type CollaborationProps,
  CollaborationResource,
} from "../../../schemas/clean-rooms/collaboration.ts";
import { tagsFromMap, tagsToMap } from "../../../schemas/clean-rooms/shared.ts";
import { listAll } from "../../kit/calls.ts";
import { resourceIdFor } from "../../kit/resource-ids.ts";
import { compact } from "../../kit/shapes.ts";
import { refuseUpdateGaps } from "../../kit/update-gaps.ts";
import type { ResourceProvider } from "../../provider.ts";
import type { AwsService, RequestContext } from "../../service.ts";
import { crNotFound } from "../errors.ts";
import { lowerKeys, upperKeys } from "./case.ts";
import { existing, readWithTags, syncTagsOf } from "./shared.ts";

/** CloudFormation model -> CreateCollaboration input. */
export function collaborationToApi(props: CollaborationProps) {
  return compact({
    name: props.Name,
    description: props.Description,
    creatorDisplayName: props.CreatorDisplayName,
    creatorMemberAbilities: props.CreatorMemberAbilities ?? [],
    creatorMLMemberAbilities: lowerKeys(props.CreatorMLMemberAbilities),
    creatorPaymentConfiguration: lowerKeys(props.CreatorPaymentConfiguration),
    dataEncryptionMetadata: lowerKeys(props.DataEncryptionMetadata),
    members: (props.Members ?? []).map((member) =>
      compact({
        accountId: member.AccountId,
        displayName: member.DisplayName,
        memberAbilities: member.MemberAbilities ?? [],
        mlMemberAbilities: lowerKeys(member.MLMemberAbilities),
        paymentConfiguration: lowerKeys(member.PaymentConfiguration),
      }),
    ),
    queryLogStatus: props.QueryLogStatus,
    jobLogStatus: props.JobLogStatus,
    analyticsEngine: props.AnalyticsEngine,
    autoApprovedChangeRequestTypes: props.AutoApprovedChangeTypes,
    allowedResultRegions: props.AllowedResultRegions,
    isMetricsEnabled: props.IsMetricsEnabled,
    tags: tagsToMap(props.Tags),
  });
}

export function collaborationProvider(service: AwsService): ResourceProvider {
  const ops = service.operations;
  const read = async (identifier: string, ctx: RequestContext) => {
    const found = await readWithTags(
      ops,
      "GetCollaboration",
      { collaborationIdentifier: identifier },
      "collaboration",
      ctx,
    );
    if (!found) return undefined;
    const { resource: collaboration, tags } = found;
    // GetCollaboration does not carry the members; ListMembers does (the creator first).
    const members = await listAll(
      ops["ListMembers"]!,
      { collaborationIdentifier: identifier },
      "memberSummaries",
      ctx,
    );
    const [creator, ...others] = members;
    return compact({
      CreatorMemberAbilities: creator?.["abilities"],
      CreatorMLMemberAbilities: upperKeys(creator?.["mlAbilities"]),
      CreatorPaymentConfiguration: upperKeys(creator?.["paymentConfiguration"]),
      Members: others.map((member) =>
        compact({
          AccountId: member["accountId"],
          DisplayName: member["displayName"],
          MemberAbilities: member["abilities"],
          MLMemberAbilities: upperKeys(member["mlAbilities"]),
          PaymentConfiguration: upperKeys(member["paymentConfiguration"]),
        }),
      ),
      CollaborationIdentifier: collaboration["id"],
      Arn: collaboration["arn"],
      Name: collaboration["name"],
      Description: collaboration["description"],
      CreatorDisplayName: collaboration["creatorDisplayName"],
      QueryLogStatus: collaboration["queryLogStatus"],
      JobLogStatus: collaboration["jobLogStatus"],
      AnalyticsEngine: collaboration["analyticsEngine"],
      DataEncryptionMetadata: upperKeys(collaboration["dataEncryptionMetadata"]),
      AutoApprovedChangeTypes: collaboration["autoApprovedChangeTypes"],
      AllowedResultRegions: collaboration["allowedResultRegions"],
      IsMetricsEnabled: collaboration["isMetricsEnabled"],
      Tags: tagsFromMap(tags),
    });
  };
  return {
    type: CollaborationResource,
    identifierFor: (_desired, requestToken) => resourceIdFor(requestToken),
    async create(desired, ctx) {
      const props = CollaborationResource.props.parse(desired);
      const output = await ops["CreateCollaboration"]!(collaborationToApi(props), ctx);
      const id = output["collaboration"].id as string;
      return { identifier: id, model: (await read(id, ctx))! };
    },
    read,
    async update(identifier, desired, ctx) {
      const props = CollaborationResource.props.parse(desired);
      const current = await read(identifier, ctx);
      if (!current) throw crNotFound("COLLABORATION", identifier);
      refuseUpdateGaps(CollaborationResource.typeName, current, props);
      const output = await ops["UpdateCollaboration"]!(
        compact({
          collaborationIdentifier: identifier,
          name: props.Name,
          description: props.Description,
          analyticsEngine: props.AnalyticsEngine,
        }),
        ctx,
      );
      await syncTagsOf(ops, output["collaboration"].arn as string, tagsToMap(props.Tags), ctx);
      return (await read(identifier, ctx))!;
    },
    async delete(identifier, ctx) {
      if (!(await read(identifier, ctx))) throw crNotFound("COLLABORATION", identifier);
      await ops["DeleteCollaboration"]!({ collaborationIdentifier: identifier }, ctx);
    },
    async list(ctx) {
      const summaries = await listAll(ops["ListCollaborations"]!, {}, "collaborationList", ctx);
      const mine = summaries.filter((summary) => summary["creatorAccountId"] === ctx.accountId);
      const models = await Promise.all(mine.map((summary) => read(summary["id"], ctx)));
      return existing(models, (model) => model["CollaborationIdentifier"] as string);
    },
  };
}
