import { type MembershipProps, MembershipResource } from "../../../schemas/clean-rooms/membership.ts";
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

export function membershipToApi(props: MembershipProps) {
  return compact({
    collaborationIdentifier: props.CollaborationIdentifier,
    queryLogStatus: props.QueryLogStatus,
    jobLogStatus: props.JobLogStatus,
    defaultResultConfiguration: lowerKeys(props.DefaultResultConfiguration),
    defaultJobResultConfiguration: lowerKeys(props.DefaultJobResultConfiguration),
    paymentConfiguration: lowerKeys(props.PaymentConfiguration),
    isMetricsEnabled: props.IsMetricsEnabled,
    tags: tagsToMap(props.Tags),
  });
}

export function membershipProvider(service: AwsService): ResourceProvider {
  const ops = service.operations;
  const read = async (identifier: string, ctx: RequestContext) => {
    const found = await readWithTags(
      ops,
      "GetMembership",
      { membershipIdentifier: identifier },
      "membership",
      ctx,
    );
    if (!found) return undefined;
    const { resource: membership, tags } = found;
    return compact({
      MembershipIdentifier: membership["id"],
      Arn: membership["arn"],
      CollaborationIdentifier: membership["collaborationId"],
      CollaborationArn: membership["collaborationArn"],
      CollaborationCreatorAccountId: membership["collaborationCreatorAccountId"],
      QueryLogStatus: membership["queryLogStatus"],
      JobLogStatus: membership["jobLogStatus"],
      DefaultResultConfiguration: upperKeys(membership["defaultResultConfiguration"]),
      DefaultJobResultConfiguration: upperKeys(membership["defaultJobResultConfiguration"]),
      PaymentConfiguration: upperKeys(membership["paymentConfiguration"]),
      IsMetricsEnabled: membership["isMetricsEnabled"],
      Tags: tagsFromMap(tags),
    });
  };
  return {
    type: MembershipResource,
    identifierFor: (_desired, requestToken) => resourceIdFor(requestToken),
    async create(desired, ctx) {
      const props = MembershipResource.props.parse(desired);
      const output = await ops["CreateMembership"]!(membershipToApi(props), ctx);
      const id = output["membership"].id as string;
      return { identifier: id, model: (await read(id, ctx))! };
    },
    read,
    async update(identifier, desired, ctx) {
      const props = MembershipResource.props.parse(desired);
      const current = await read(identifier, ctx);
      if (!current) throw crNotFound("MEMBERSHIP", identifier);
      refuseUpdateGaps(MembershipResource.typeName, current, props);
      const {
        collaborationIdentifier: _c,
        tags,
        paymentConfiguration: _p,
        isMetricsEnabled: _m,
        ...update
      } = membershipToApi(props);
      const output = await ops["UpdateMembership"]!({ ...update, membershipIdentifier: identifier }, ctx);
      await syncTagsOf(ops, output["membership"].arn as string, tags, ctx);
      return (await read(identifier, ctx))!;
    },
    async delete(identifier, ctx) {
      if (!(await read(identifier, ctx))) throw crNotFound("MEMBERSHIP", identifier);
      await ops["DeleteMembership"]!({ membershipIdentifier: identifier }, ctx);
    },
    async list(ctx) {
      const summaries = await listAll(ops["ListMemberships"]!, {}, "membershipSummaries", ctx);
      const models = await Promise.all(summaries.map((summary) => read(summary["id"], ctx)));
      return existing(models, (model) => model["MembershipIdentifier"] as string);
    },
  };
}
