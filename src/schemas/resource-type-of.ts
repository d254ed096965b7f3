import type { z } from "zod";
import { DEVIATIONS } from "./deviations.ts";
import type { ResourceType } from "./resource-type.ts";

/** What src/schemas/aws/generated/*.ts records for a type, from AWS's resource schema. */
export interface GeneratedFacts {
  readonly typeName: string;
  readonly createOnly: readonly string[];
  readonly readOnly: readonly string[];
  readonly writeOnly: readonly string[];
  readonly primaryIdentifier: readonly string[];
}

/** A resource type from its generated props and facts, with the listed deviations applied. */
export function resourceTypeOf<Props extends z.ZodObject>(
  props: Props,
  facts: GeneratedFacts,
): ResourceType<Props> {
  const primaryIdentifier =
    DEVIATIONS.find((d) => d.typeName === facts.typeName && d.fact === "primaryIdentifier")?.idbridge ??
    facts.primaryIdentifier;
  return {
    typeName: facts.typeName,
    props,
    readOnly: facts.readOnly,
    createOnly: facts.createOnly,
    writeOnly: facts.writeOnly,
    primaryIdentifier,
  };
}
