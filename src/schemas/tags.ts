/** A CloudFormation tag: each service's own zod schema (limits differ) checks it. */
export interface CfnTag {
  Key: string;
  Value: string;
}

/** CloudFormation tag list -> the API's tag map. */
export function tagsToMap(tags: readonly CfnTag[] | undefined): Record<string, string> | undefined {
  if (!tags) return undefined;
  return Object.fromEntries(tags.map((tag) => [tag.Key, tag.Value]));
}

/** The API's tag map -> CloudFormation tag list (absent when there are none, as GetResource answers). */
export function tagsFromMap(tags: Record<string, string> | undefined): CfnTag[] | undefined {
  if (!tags || Object.keys(tags).length === 0) return undefined;
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
