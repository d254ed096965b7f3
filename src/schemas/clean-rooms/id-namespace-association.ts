import { z } from "zod";
import type { ResourceType } from "../resource-type.ts";
import { Description, DisplayName, inputReferenceConfig, Tags, Uuid } from "./shared.ts";

export const IdNamespaceAssociationInputReferenceConfig = inputReferenceConfig(
  "Entity Resolution ID namespace",
  /^arn:aws:entityresolution:[a-z]{2}-[a-z]{1,10}-[0-9]:[0-9]{12}:idnamespace\/[a-zA-Z_0-9-]{1,255}$/,
);

export const IdMappingConfig = z.strictObject({ AllowUseAsDimensionColumn: z.boolean() });

/** AWS::CleanRooms::IdNamespaceAssociation (AWS's CloudFormation resource schema). */
export const IdNamespaceAssociationProps = z.strictObject({
  MembershipIdentifier: Uuid,
  Name: DisplayName,
  Description: Description.optional(),
  InputReferenceConfig: IdNamespaceAssociationInputReferenceConfig,
  IdMappingConfig: IdMappingConfig.optional(),
  Tags: Tags.optional(),
});
export type IdNamespaceAssociationProps = z.infer<typeof IdNamespaceAssociationProps>;

export const IdNamespaceAssociationResource: ResourceType<typeof IdNamespaceAssociationProps> = {
  typeName: "AWS::CleanRooms::IdNamespaceAssociation",
  props: IdNamespaceAssociationProps,
  readOnly: [
    "IdNamespaceAssociationIdentifier",
    "Arn",
    "MembershipArn",
    "CollaborationIdentifier",
    "CollaborationArn",
    "InputReferenceProperties",
  ],
  createOnly: ["MembershipIdentifier", "InputReferenceConfig"],
  writeOnly: [],
  primaryIdentifier: ["IdNamespaceAssociationIdentifier", "MembershipIdentifier"],
};
