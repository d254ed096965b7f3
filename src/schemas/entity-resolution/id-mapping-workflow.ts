import type { z } from "zod";
import {
  IdMappingWorkflowProps as Generated,
  IdMappingWorkflowFacts,
} from "../aws/generated/entity-resolution-id-mapping-workflow.ts";
import { resourceTypeOf } from "../resource-type-of.ts";

/** AWS::EntityResolution::IdMappingWorkflow: generated from AWS's CloudFormation resource schema (src/schemas/aws/cfn-schemas.json). */
export const IdMappingWorkflowProps = Generated;
export type IdMappingWorkflowProps = z.infer<typeof IdMappingWorkflowProps>;

export const IdMappingWorkflowResource = resourceTypeOf(IdMappingWorkflowProps, IdMappingWorkflowFacts);
