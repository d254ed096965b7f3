// Public library entry: each part's small index.ts, re-exported. The CLI is a thin layer over these.
export { AmcApiError, AmcClient, connectAmc } from "./amc-client/index.ts";
export { AwsError } from "./cloud/aws-error.ts";
export { LocalCloud, StoreInUseError } from "./cloud/index.ts";
export { evaluate } from "./evaluate/index.ts";
// iac: the Alchemy-style programming model (`import AWS from "idbridge/aws/control"` for resources).
export { amcMembershipId, idbridge, readPrepared } from "./iac/index.ts";
export {
  defaultRules,
  MatchEngine,
  MatchValidationError,
  runIdMapping,
  validateIdMapping,
} from "./match/index.ts";
export { isSha256Hex, neverHashed, normalizeValue, sha256Hex } from "./normalize/index.ts";
export { PrepareError, prepare } from "./prepare/index.ts";
export { startServer } from "./serve/index.ts";
export { synth } from "./synth/index.ts";
