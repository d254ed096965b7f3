import type { IdMappingJobMetrics, SchemaInputAttribute } from "../../schemas/entity-resolution-api.ts";

/** Store tables of the Entity Resolution service. Keys start with the owning account id. */
export const ER_TABLES = {
  schemaMappings: "entityresolution.schemaMappings",
  idNamespaces: "entityresolution.idNamespaces",
  idMappingWorkflows: "entityresolution.idMappingWorkflows",
  idMappingJobs: "entityresolution.idMappingJobs",
  policies: "entityresolution.policies",
  /**
   * Glue tables that live outside this cloud's Glue (another account's data ER may read, such as
   * the built-in Amazon identity graph): table ARN -> files + columns.
   */
  externalTables: "entityresolution.externalTables",
} as const;

export const accountKey = (accountId: string, name: string) => `${accountId}/${name}`;
export const jobKey = (accountId: string, workflowName: string, jobId: string) =>
  `${accountId}/${workflowName}/${jobId}`;

export interface SchemaMappingRecord {
  schemaName: string;
  schemaArn: string;
  description?: string;
  mappedInputFields: SchemaInputAttribute[];
  createdAt: number;
  updatedAt: number;
  tags: Record<string, string>;
}

export interface RuleRecord {
  ruleName: string;
  matchingKeys: string[];
}

export interface IdNamespaceRecord {
  idNamespaceName: string;
  idNamespaceArn: string;
  description?: string;
  inputSourceConfig?: Array<{ inputSourceARN: string; schemaName?: string }>;
  idMappingWorkflowProperties?: Array<{
    idMappingType: "RULE_BASED" | "PROVIDER";
    ruleBasedProperties?: {
      rules?: RuleRecord[];
      ruleDefinitionTypes?: Array<"SOURCE" | "TARGET">;
      attributeMatchingModel?: "ONE_TO_ONE" | "MANY_TO_MANY";
      recordMatchingModels?: Array<"ONE_SOURCE_TO_ONE_TARGET" | "MANY_SOURCE_TO_ONE_TARGET">;
    };
    providerProperties?: { providerServiceArn: string; providerConfiguration?: unknown };
  }>;
  type: "SOURCE" | "TARGET";
  roleArn?: string;
  createdAt: number;
  updatedAt: number;
  tags: Record<string, string>;
}

export interface IdMappingWorkflowRecord {
  workflowName: string;
  workflowArn: string;
  description?: string;
  inputSourceConfig: Array<{ inputSourceARN: string; schemaName?: string; type?: "SOURCE" | "TARGET" }>;
  outputSourceConfig?: Array<{ outputS3Path: string; KMSArn?: string }>;
  idMappingTechniques: {
    idMappingType: "RULE_BASED" | "PROVIDER";
    ruleBasedProperties?: {
      rules?: RuleRecord[];
      ruleDefinitionType: "SOURCE" | "TARGET";
      attributeMatchingModel: "ONE_TO_ONE" | "MANY_TO_MANY";
      recordMatchingModel: "ONE_SOURCE_TO_ONE_TARGET" | "MANY_SOURCE_TO_ONE_TARGET";
    };
    providerProperties?: unknown;
  };
  incrementalRunConfig?: { incrementalRunType?: "ON_DEMAND" };
  roleArn?: string;
  createdAt: number;
  updatedAt: number;
  tags: Record<string, string>;
}

export type JobStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";

export interface IdMappingJobRecord {
  jobId: string;
  accountId: string;
  region: string;
  workflowName: string;
  workflowArn: string;
  status: JobStatus;
  startTime: number;
  endTime?: number;
  metrics?: IdMappingJobMetrics;
  /** Matches per rule name, as the match engine reports them (counts only, no values). */
  perRule?: Record<string, number>;
  errorDetails?: { errorMessage: string };
  outputSourceConfig?: Array<{ roleArn: string; outputS3Path: string; KMSArn?: string }>;
  jobType?: "INCREMENTAL" | "BATCH" | "DELETE_ONLY";
  /** The job's output file in the store's blob dir (the mapping table's data). */
  outputFile?: string;
  /** How many times the job was started; a job interrupted more than once is failed instead of resumed. */
  attempts: number;
}

export interface ExternalTableRecord {
  tableArn: string;
  files: string[];
  columns: string[];
}
