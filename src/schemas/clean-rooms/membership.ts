import { z } from "zod";
import type { ResourceType } from "../resource-type.ts";
import { QueryLogStatus, Tags, Uuid } from "./shared.ts";

const IsResponsible = z.strictObject({ IsResponsible: z.boolean() });

export const MembershipProtectedQueryResultConfiguration = z.strictObject({
  OutputConfiguration: z.strictObject({
    S3: z.strictObject({
      ResultFormat: z.enum(["CSV", "PARQUET"]),
      Bucket: z.string().min(3).max(63),
      KeyPrefix: z.string().optional(),
      SingleFileOutput: z.boolean().optional(),
    }),
  }),
  RoleArn: z.string().min(32).max(512).optional(),
});

export const MembershipPaymentConfiguration = z.strictObject({
  QueryCompute: IsResponsible,
  JobCompute: IsResponsible.optional(),
  MachineLearning: z
    .strictObject({ ModelTraining: IsResponsible.optional(), ModelInference: IsResponsible.optional() })
    .optional(),
});

/** AWS::CleanRooms::Membership (AWS's CloudFormation resource schema). */
export const MembershipProps = z.strictObject({
  CollaborationIdentifier: Uuid,
  QueryLogStatus,
  JobLogStatus: QueryLogStatus.optional(),
  DefaultResultConfiguration: MembershipProtectedQueryResultConfiguration.optional(),
  PaymentConfiguration: MembershipPaymentConfiguration.optional(),
  Tags: Tags.optional(),
});
export type MembershipProps = z.infer<typeof MembershipProps>;

export const MembershipResource: ResourceType<typeof MembershipProps> = {
  typeName: "AWS::CleanRooms::Membership",
  props: MembershipProps,
  readOnly: ["Arn", "CollaborationArn", "CollaborationCreatorAccountId", "MembershipIdentifier"],
  createOnly: ["CollaborationIdentifier"],
  writeOnly: [],
  primaryIdentifier: ["MembershipIdentifier"],
};
