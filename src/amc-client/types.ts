import { z } from "zod";

/**
 * Responses of the AMC admin API's collaboration routes (AMC Administration API). Loose: AMC may add members.
 */
export const CollaborationMember = z.looseObject({
  accountId: z.string().optional(),
  membershipId: z.string().optional(),
  displayName: z.string().optional(),
  status: z.string().optional(),
});

export const Collaboration = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  status: z.string().optional(),
  customerAcceptanceLink: z.string().optional(),
  creator: CollaborationMember.optional(),
});
export type Collaboration = z.infer<typeof Collaboration>;

export const IdMappingTable = z.looseObject({
  id: z.string(),
  arn: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  queryable: z.boolean().optional(),
  workflowArn: z.string().optional(),
  createTime: z.union([z.string(), z.number()]).optional(),
  updateTime: z.union([z.string(), z.number()]).optional(),
});
export type IdMappingTable = z.infer<typeof IdMappingTable>;

export const CreateTableResponse = z.looseObject({
  collaborationId: z.string().optional(),
  idMappingTable: IdMappingTable,
  idMappingWorkflowJobId: z.string(),
  trackingId: z.string().optional(),
});
export type CreateTableResponse = z.infer<typeof CreateTableResponse>;

export const IdMappingJob = z.looseObject({
  jobId: z.string().optional(),
  status: z.enum(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"]),
  metrics: z
    .looseObject({
      inputRecords: z.number().optional(),
      totalRecordsProcessed: z.number().optional(),
      recordsNotProcessed: z.number().optional(),
      totalMappedRecords: z.number().optional(),
      totalMappedSourceRecords: z.number().optional(),
      totalMappedTargetRecords: z.number().optional(),
      uniqueRecordsLoaded: z.number().optional(),
    })
    .optional(),
  errorDetails: z.looseObject({ errorMessage: z.string().optional() }).optional(),
  startTime: z.union([z.string(), z.number()]).optional(),
  endTime: z.union([z.string(), z.number()]).optional(),
});
export type IdMappingJob = z.infer<typeof IdMappingJob>;
