// Public library entry. Each part exposes a small index.ts; re-exported here as they land.
export { AwsError } from "./cloud/aws-error.ts";
