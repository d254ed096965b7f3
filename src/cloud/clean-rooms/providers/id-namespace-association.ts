import {
  type IdNamespaceAssociationProps,
  IdNamespaceAssociationResource,
} from "../../../schemas/clean-rooms/id-namespace-association.ts";
import { tagsFromMap, tagsToMap } from "../../../schemas/clean-rooms/shared.ts";
import { type ApiObject, compact } from "../../kit/shapes.ts";
import type { ResourceProvider } from "../../provider.ts";
import type { AwsService } from "../../service.ts";
import { upperKeys } from "./case.ts";
import { membershipChildFromApi, membershipChildProvider, membershipChildToApi } from "./shared.ts";

export function idNamespaceAssociationToApi(props: IdNamespaceAssociationProps) {
  return compact({
    ...membershipChildToApi(props),
    idMappingConfig: props.IdMappingConfig && {
      allowUseAsDimensionColumn: props.IdMappingConfig.AllowUseAsDimensionColumn,
    },
    tags: tagsToMap(props.Tags),
  });
}

export function idNamespaceAssociationFromApi(association: ApiObject, tags: Record<string, string>) {
  return compact({
    IdNamespaceAssociationIdentifier: association["id"],
    ...membershipChildFromApi(association),
    InputReferenceProperties: compact({
      IdNamespaceType: association["inputReferenceProperties"]?.idNamespaceType,
      IdMappingWorkflowsSupported: association["inputReferenceProperties"]?.idMappingWorkflowsSupported,
    }),
    IdMappingConfig: upperKeys(association["idMappingConfig"]),
    Tags: tagsFromMap(tags),
  });
}

export function idNamespaceAssociationProvider(service: AwsService): ResourceProvider {
  return membershipChildProvider(service, {
    type: IdNamespaceAssociationResource,
    noun: "IdNamespaceAssociation",
    member: "idNamespaceAssociation",
    notFoundType: "ID_NAMESPACE_ASSOCIATION",
    idProperty: "IdNamespaceAssociationIdentifier",
    toApi: idNamespaceAssociationToApi,
    fromApi: idNamespaceAssociationFromApi,
    updateInput: (props) => {
      const api = idNamespaceAssociationToApi(props);
      return { name: api.name, description: api.description ?? "", idMappingConfig: api.idMappingConfig };
    },
  });
}
