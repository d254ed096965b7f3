import { type MembershipProps, MembershipResource } from "../../../schemas/clean-rooms/membership.ts";
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
import { crNotFound } from "../errors.ts";
import { lowerKeys, upperKeys } from "./case.ts";

export function membershipToApi(props: MembershipProps) {
  return defined({
    collaborationIdentifier: props.CollaborationIdentifier,
    queryLogStatus: props.QueryLogStatus,
    jobLogStatus: props.JobLogStatus,
    defaultResultConfiguration: lowerKeys(props.DefaultResultConfiguration),
    paymentConfiguration: lowerKeys(props.PaymentConfiguration),
    tags: tagsToMap(props.Tags),
  });
}

export function membershipProvider(service: AwsService): ResourceProvider {
  const ops = service.operations;
  const read = async (identifier: string, ctx: RequestContext) => {
    const output = await readOrUndefined(ops["GetMembership"]!, { membershipIdentifier: identifier }, ctx);
    if (!output) return undefined;
    const membership = output["membership"] as ApiObject;
    const tags = await ops["ListTagsForResource"]!({ resourceArn: membership["arn"] }, ctx);
    return defined({
      MembershipIdentifier: membership["id"],
      Arn: membership["arn"],
      CollaborationIdentifier: membership["collaborationId"],
      CollaborationArn: membership["collaborationArn"],
      CollaborationCreatorAccountId: membership["collaborationCreatorAccountId"],
      QueryLogStatus: membership["queryLogStatus"],
      JobLogStatus: membership["jobLogStatus"],
      DefaultResultConfiguration: upperKeys(membership["defaultResultConfiguration"]),
      PaymentConfiguration: upperKeys(membership["paymentConfiguration"]),
      Tags: tagsFromMap(tags["tags"]),
    });
  };
  return {
    type: MembershipResource,
    async create(desired, ctx) {
      const props = MembershipResource.props.parse(desired);
      const output = await ops["CreateMembership"]!(membershipToApi(props), ctx);
      const id = output["membership"].id as string;
      return { identifier: id, model: (await read(id, ctx))! };
    },
    read,
    async update(identifier, desired, ctx) {
      const props = MembershipResource.props.parse(desired);
      const {
        collaborationIdentifier: _c,
        tags,
        paymentConfiguration: _p,
        ...update
      } = membershipToApi(props);
      const output = await ops["UpdateMembership"]!({ ...update, membershipIdentifier: identifier }, ctx);
      const arn = output["membership"].arn as string;
      const current = await ops["ListTagsForResource"]!({ resourceArn: arn }, ctx);
      await syncTags(ops, arn, current["tags"], tags, ctx);
      return (await read(identifier, ctx))!;
    },
    async delete(identifier, ctx) {
      if (!(await read(identifier, ctx))) throw crNotFound("MEMBERSHIP", identifier);
      await ops["DeleteMembership"]!({ membershipIdentifier: identifier }, ctx);
    },
    async list(ctx) {
      const summaries = await listAll(ops["ListMemberships"]!, {}, "membershipSummaries", ctx);
      const models = await Promise.all(summaries.map((summary) => read(summary["id"], ctx)));
      return models.flatMap((model) =>
        model ? [{ identifier: model["MembershipIdentifier"] as string, model }] : [],
      );
    },
  };
}
