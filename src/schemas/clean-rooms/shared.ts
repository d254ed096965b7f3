/** CloudFormation tag list <-> the API's tag map. */
export { tagsFromMap, tagsToMap } from "../tags.ts";
