import { z } from "zod";
import type { ResourceType } from "../resource-type.ts";
import { Description, inputReferenceConfig, Tags, Uuid } from "./shared.ts";

export const IdMappingTableInputReferenceConfig = inputReferenceConfig(
  "Entity Resolution ID mapping workflow",
  /^arn:(aws|aws-us-gov|aws-cn):entityresolution:.*:[0-9]+:idmappingworkflow\/.*$/,
);

/** AWS::CleanRooms::IdMappingTable (AWS's CloudFormation resource schema). */
export const IdMappingTableProps = z.strictObject({
  MembershipIdentifier: Uuid,
  Name: z
    .string()
    .max(128)
    .regex(
      /^[a-zA-Z0-9_](([a-zA-Z0-9_ ]+-)*([a-zA-Z0-9_ ]+))?$/,
      "may contain letters, digits, '_', spaces and single '-' between words, starting with a letter, digit or '_'",
    ),
  Description: Description.optional(),
  InputReferenceConfig: IdMappingTableInputReferenceConfig,
  KmsKeyArn: z
    .string()
    .min(4)
    .max(2048)
    .regex(/arn:aws:kms:[\w]{2}-[\w]{4,9}-[\d]:[\d]{12}:key\/[a-zA-Z0-9-]+/, "must be a KMS key ARN")
    .optional(),
  Tags: Tags.optional(),
});
export type IdMappingTableProps = z.infer<typeof IdMappingTableProps>;

export const IdMappingTableResource: ResourceType<typeof IdMappingTableProps> = {
  typeName: "AWS::CleanRooms::IdMappingTable",
  props: IdMappingTableProps,
  readOnly: [
    "IdMappingTableIdentifier",
    "Arn",
    "MembershipArn",
    "CollaborationIdentifier",
    "CollaborationArn",
    "InputReferenceProperties",
  ],
  createOnly: ["MembershipIdentifier", "Name", "InputReferenceConfig"],
  writeOnly: [],
  primaryIdentifier: ["IdMappingTableIdentifier", "MembershipIdentifier"],
};
