import type { ResourceType } from "../schemas/resource-type.ts";
import { currentApp, isUnknown } from "./app.ts";
import { validateProps } from "./validate.ts";

/** Options every resource function accepts besides the type's own properties. */
export interface ResourceOptions {
  /**
   * Manage a resource that already exists (found by its primary identifier, or reported by
   * Cloud Control's AlreadyExists) instead of failing.
   * @default false
   */
  adopt?: boolean;
}

/** A resource function: `await AWS.S3.Bucket("data", { BucketName: "…" })` → props plus read-only attributes. */
export type ResourceFunction<Props, Output> = (id: string, props: Props & ResourceOptions) => Promise<Output>;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * Turns a CloudFormation resource type into an Alchemy-style resource function. Props are checked
 * with the type's zod schema before any call; in plan mode values only known after up (another
 * resource's Arn) are let through.
 */
export function defineResource<Props extends object, Output extends Props>(
  type: ResourceType,
): ResourceFunction<Props, Output> {
  return async (id, props) => {
    if (typeof id !== "string" || id === "")
      throw new Error(`${type.typeName}: the resource id must be a non-empty string`);
    const app = currentApp();
    const { adopt = false, ...rest } = props as Props & ResourceOptions;
    const desired = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
    validateProps(
      type,
      id,
      desired,
      (path) => app.phase !== "up" && path.length > 0 && isUnknown(valueAt(desired, path)),
    );
    return (await app.declare(type, id, desired, adopt)) as Output;
  };
}
