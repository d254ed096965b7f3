// Public library entry. Each part exposes a small index.ts; re-exported here as they land.
export { AwsError } from "./cloud/aws-error.ts";
// iac: the Alchemy-style programming model (`import AWS from "idbridge/aws/control"` for resources).
export { amcMembershipId, idbridge, readPrepared } from "./iac/index.ts";
