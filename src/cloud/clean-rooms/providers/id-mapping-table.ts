import {
  type IdMappingTableProps,
  IdMappingTableResource,
} from "../../../schemas/clean-rooms/id-mapping-table.ts";
import { tagsFromMap, tagsToMap } from "../../../schemas/clean-rooms/shared.ts";
import { type ApiObject, compact } from "../../kit/shapes.ts";
import type { ResourceProvider } from "../../provider.ts";
import type { AwsService } from "../../service.ts";
import { upperKeys } from "./case.ts";
import { membershipChildFromApi, membershipChildProvider, membershipChildToApi } from "./shared.ts";

export function idMappingTableToApi(props: IdMappingTableProps) {
  return compact({
    ...membershipChildToApi(props),
    kmsKeyArn: props.KmsKeyArn,
    tags: tagsToMap(props.Tags),
  });
}

export function idMappingTableFromApi(table: ApiObject, tags: Record<string, string>) {
  return compact({
    IdMappingTableIdentifier: table["id"],
    ...membershipChildFromApi(table),
    InputReferenceProperties: upperKeys(table["inputReferenceProperties"]),
    KmsKeyArn: table["kmsKeyArn"],
    Tags: tagsFromMap(tags),
  });
}

export function idMappingTableProvider(service: AwsService): ResourceProvider {
  return membershipChildProvider(service, {
    type: IdMappingTableResource,
    noun: "IdMappingTable",
    member: "idMappingTable",
    notFoundType: "ID_MAPPING_TABLE",
    idProperty: "IdMappingTableIdentifier",
    toApi: idMappingTableToApi,
    fromApi: idMappingTableFromApi,
    updateInput: (props) => ({ description: props.Description ?? "", kmsKeyArn: props.KmsKeyArn }),
  });
}
