import type { CloudDeps } from "../deps.ts";
import { createEntityResolution } from "../entity-resolution/index.ts";
import { oncePerStore } from "../kit/once-per-store.ts";
import type { ResourceProvider } from "../provider.ts";
import type { AwsService } from "../service.ts";
import { collaborationOperations } from "./collaborations.ts";
import { idMappingTableOperations } from "./id-mapping-tables.ts";
import { idNamespaceAssociationOperations } from "./id-namespace-associations.ts";
import { membershipOperations } from "./memberships.ts";
import { collaborationProvider } from "./providers/collaboration.ts";
import { idMappingTableProvider } from "./providers/id-mapping-table.ts";
import { idNamespaceAssociationProvider } from "./providers/id-namespace-association.ts";
import { membershipProvider } from "./providers/membership.ts";
import { crTaggingOperations } from "./tagging.ts";

export { erJobIdOf, MAX_TABLES_PER_MEMBERSHIP } from "./id-mapping-tables.ts";
export { MAX_ASSOCIATIONS_PER_MEMBERSHIP } from "./id-namespace-associations.ts";
export { lowerKeys, upperKeys } from "./providers/case.ts";
export type {
  CollaborationRecord,
  IdMappingTableRecord,
  IdNamespaceAssociationRecord,
  MembershipRecord,
} from "./records.ts";
export { CR_TABLES } from "./records.ts";

export interface CleanRooms {
  service: AwsService;
  providers: ResourceProvider[];
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/**
 * The Clean Rooms service (signing name "cleanrooms"). It reaches Entity Resolution (namespaces,
 * workflows, PopulateIdMappingTable's job) through the ER instance of the same store, whichever
 * of the two LocalCloud creates first.
 */
export const createCleanRooms: (deps: CloudDeps) => Promise<CleanRooms> = oncePerStore(build);

function build(deps: CloudDeps): CleanRooms {
  const er = async () => (await createEntityResolution(deps)).internals;
  const service: AwsService = {
    signingName: "cleanrooms",
    operations: {
      ...collaborationOperations(deps),
      ...membershipOperations(deps),
      ...idNamespaceAssociationOperations(deps, er),
      ...idMappingTableOperations(deps, er),
      ...crTaggingOperations(deps),
    },
  };
  return {
    service,
    providers: [
      collaborationProvider(service),
      membershipProvider(service),
      idNamespaceAssociationProvider(service),
      idMappingTableProvider(service),
    ],
  };
}
