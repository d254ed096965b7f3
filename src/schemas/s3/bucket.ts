import { z } from "zod";
import type { ResourceType } from "../resource-type.ts";

/**
 * AWS::S3::Bucket, after AWS's CloudFormation resource schema. The properties the identity route
 * uses are modelled member by member; the rest (analytics, inventory, replication, website…) are
 * accepted as JSON objects so templates written for AWS still validate, but the local cloud only
 * stores them.
 */
const json = z.record(z.string(), z.unknown());
const enabled = z.enum(["Enabled", "Disabled"]);

export const BucketTag = z.strictObject({
  Key: z.string().min(1).max(128),
  Value: z.string().max(256),
});

export const BucketProps = z.strictObject({
  AbacStatus: enabled.optional(),
  AccelerateConfiguration: z
    .strictObject({ AccelerationStatus: z.enum(["Enabled", "Suspended"]) })
    .optional(),
  /** Canned ACL (write-only, as in AWS's schema). */
  AccessControl: z
    .enum([
      "AuthenticatedRead",
      "AwsExecRead",
      "BucketOwnerFullControl",
      "BucketOwnerRead",
      "LogDeliveryWrite",
      "Private",
      "PublicRead",
      "PublicReadWrite",
    ])
    .optional(),
  AnalyticsConfigurations: z.array(json).optional(),
  BucketEncryption: z
    .strictObject({
      ServerSideEncryptionConfiguration: z.array(
        z.strictObject({
          BucketKeyEnabled: z.boolean().optional(),
          ServerSideEncryptionByDefault: z
            .strictObject({
              SSEAlgorithm: z.enum(["aws:kms", "AES256", "aws:kms:dsse"]),
              KMSMasterKeyID: z.string().optional(),
            })
            .optional(),
          BlockedEncryptionTypes: json.optional(),
        }),
      ),
    })
    .optional(),
  /** 3–63 lowercase letters, digits, dots and hyphens; generated when omitted. */
  BucketName: z
    .string()
    .min(3)
    .max(63)
    .regex(
      /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
      "must be lowercase letters, digits, '.' and '-', starting and ending with a letter or digit",
    )
    .optional(),
  CorsConfiguration: z
    .strictObject({
      CorsRules: z.array(
        z.strictObject({
          AllowedHeaders: z.array(z.string()).optional(),
          AllowedMethods: z.array(z.enum(["GET", "PUT", "HEAD", "POST", "DELETE"])),
          AllowedOrigins: z.array(z.string()),
          ExposedHeaders: z.array(z.string()).optional(),
          Id: z.string().max(255).optional(),
          MaxAge: z.number().int().min(0).optional(),
        }),
      ),
    })
    .optional(),
  IntelligentTieringConfigurations: z.array(json).optional(),
  InventoryConfigurations: z.array(json).optional(),
  LifecycleConfiguration: z
    .strictObject({
      Rules: z.array(json),
      TransitionDefaultMinimumObjectSize: z
        .enum(["varies_by_storage_class", "all_storage_classes_128K"])
        .optional(),
    })
    .optional(),
  LoggingConfiguration: z
    .strictObject({
      DestinationBucketName: z.string().optional(),
      LogFilePrefix: z.string().optional(),
      TargetObjectKeyFormat: json.optional(),
    })
    .optional(),
  MetadataConfiguration: json.optional(),
  MetadataTableConfiguration: json.optional(),
  MetricsConfigurations: z.array(json).optional(),
  NotificationConfiguration: json.optional(),
  ObjectLockConfiguration: z
    .strictObject({ ObjectLockEnabled: z.literal("Enabled").optional(), Rule: json.optional() })
    .optional(),
  ObjectLockEnabled: z.boolean().optional(),
  OwnershipControls: z
    .strictObject({
      Rules: z.array(
        z.strictObject({
          ObjectOwnership: z.enum(["ObjectWriter", "BucketOwnerPreferred", "BucketOwnerEnforced"]),
        }),
      ),
    })
    .optional(),
  PublicAccessBlockConfiguration: z
    .strictObject({
      BlockPublicAcls: z.boolean().optional(),
      BlockPublicPolicy: z.boolean().optional(),
      IgnorePublicAcls: z.boolean().optional(),
      RestrictPublicBuckets: z.boolean().optional(),
    })
    .optional(),
  ReplicationConfiguration: json.optional(),
  Tags: z.array(BucketTag).optional(),
  VersioningConfiguration: z.strictObject({ Status: z.enum(["Enabled", "Suspended"]) }).optional(),
  WebsiteConfiguration: json.optional(),
});
export type BucketProps = z.infer<typeof BucketProps>;

export const BucketResource: ResourceType<typeof BucketProps> = {
  typeName: "AWS::S3::Bucket",
  props: BucketProps,
  readOnly: ["Arn", "DomainName", "DualStackDomainName", "RegionalDomainName", "WebsiteURL"],
  createOnly: ["BucketName", "ObjectLockEnabled"],
  writeOnly: ["AccessControl"],
  primaryIdentifier: ["BucketName"],
};
