// Public library entry: each part's small index.ts, re-exported with the types of what it takes and
// returns. The CLI is a thin layer over these; README "Use it as a library" lists them.
export {
  AmcApiError,
  AmcClient,
  type AmcClientOptions,
  type AmcConnection,
  type AmcCredentials,
  connectAmc,
} from "./amc-client/index.ts";
export { AwsError } from "./cloud/aws-error.ts";
export { LocalCloud, type LocalCloudOptions, StoreInUseError } from "./cloud/index.ts";
export { type EvaluateOptions, type Evaluation, evaluate } from "./evaluate/index.ts";
// iac: the Alchemy-style programming model (`import AWS from "idbridge/aws/control"` for resources).
export {
  type App,
  type AppOptions,
  amcMembershipId,
  type FinalizeResult,
  idbridge,
  type Phase,
  type PreparedTableProps,
  readPrepared,
} from "./iac/index.ts";
export {
  defaultRules,
  type IdMappingResult,
  MatchEngine,
  type MatchEngineOptions,
  MatchValidationError,
  type RunIdMappingOptions,
  runIdMapping,
  validateIdMapping,
} from "./match/index.ts";
export { type IdentityKind, isSha256Hex, neverHashed, normalizeValue, sha256Hex } from "./normalize/index.ts";
export {
  type PreparedTable,
  PrepareError,
  type PrepareOptions,
  type PrepareReport,
  type PrepareResult,
  prepare,
} from "./prepare/index.ts";
export { type RunningServer, ServeFileError, type ServeOptions, startServer } from "./serve/index.ts";
export { type SynthOptions, type SynthResult, synth } from "./synth/index.ts";
