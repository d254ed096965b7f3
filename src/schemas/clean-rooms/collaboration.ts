import { z } from "zod";
import type { ResourceType } from "../resource-type.ts";
import {
  Description,
  DisplayName,
  MemberAbility,
  MLMemberAbilities,
  PaymentConfiguration,
  QueryLogStatus,
  Tags,
} from "./shared.ts";

export const MemberSpecification = z.strictObject({
  AccountId: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
  DisplayName,
  MemberAbilities: z.array(MemberAbility).optional(),
  MLMemberAbilities: MLMemberAbilities.optional(),
  PaymentConfiguration: PaymentConfiguration.optional(),
});

export const DataEncryptionMetadata = z.strictObject({
  AllowCleartext: z.boolean(),
  AllowDuplicates: z.boolean(),
  AllowJoinsOnColumnsWithDifferentNames: z.boolean(),
  PreserveNulls: z.boolean(),
});

/** AWS::CleanRooms::Collaboration (AWS's CloudFormation resource schema). */
export const CollaborationProps = z.strictObject({
  Name: DisplayName,
  Description: Description.min(1),
  CreatorDisplayName: DisplayName,
  CreatorMemberAbilities: z.array(MemberAbility).optional(),
  CreatorMLMemberAbilities: MLMemberAbilities.optional(),
  CreatorPaymentConfiguration: PaymentConfiguration.optional(),
  DataEncryptionMetadata: DataEncryptionMetadata.optional(),
  Members: z.array(MemberSpecification).max(9).optional(),
  QueryLogStatus,
  JobLogStatus: QueryLogStatus.optional(),
  AnalyticsEngine: z.enum(["CLEAN_ROOMS_SQL", "SPARK"]).optional(),
  Tags: Tags.optional(),
});
export type CollaborationProps = z.infer<typeof CollaborationProps>;

export const CollaborationResource: ResourceType<typeof CollaborationProps> = {
  typeName: "AWS::CleanRooms::Collaboration",
  props: CollaborationProps,
  readOnly: ["Arn", "CollaborationIdentifier"],
  createOnly: [
    "CreatorDisplayName",
    "CreatorMemberAbilities",
    "CreatorMLMemberAbilities",
    "DataEncryptionMetadata",
    "JobLogStatus",
    "QueryLogStatus",
    "Members",
    "CreatorPaymentConfiguration",
  ],
  writeOnly: [],
  primaryIdentifier: ["CollaborationIdentifier"],
};
