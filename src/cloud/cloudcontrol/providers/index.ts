import type { AwsService } from "../../service.ts";
import type { Store } from "../../store.ts";
import type { ResourceProvider } from "../provider.ts";
import { glueDatabaseProvider } from "./glue-database.ts";
import { glueTableProvider } from "./glue-table.ts";
import { roleProvider } from "./iam-role.ts";
import { bucketProvider } from "./s3-bucket.ts";

/** Providers of the S3, Glue and IAM types (Entity Resolution and Clean Rooms bring their own). */
export function coreProviders(
  services: { s3: AwsService; glue: AwsService; iam: AwsService },
  store: Store,
): ResourceProvider[] {
  return [
    bucketProvider(services.s3, store),
    glueDatabaseProvider(services.glue),
    glueTableProvider(services.glue),
    roleProvider(services.iam),
  ];
}
