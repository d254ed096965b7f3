import { z } from "zod";

/**
 * Adds a hint to the first problem found inside one property, e.g. the real shape of a property
 * that some published docs show wrongly. The parsed value and its type stay the schema's own.
 */
export function withHint<T extends z.ZodType>(schema: T, hint: string): T {
  return z.unknown().transform((value, ctx) => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const [index, issue] of result.error.issues.entries()) {
      ctx.addIssue({ ...issue, message: index === 0 ? `${issue.message}. ${hint}` : issue.message });
    }
    return z.NEVER;
  }) as unknown as T;
}

/**
 * The Alchemy docs for AWS::CleanRooms::IdMappingTable and IdNamespaceAssociation show
 * InputReferenceConfig shapes that do not exist ({ ReferenceType, ReferenceValues } and
 * { referenceArn }); AWS's resource schemas define { InputReferenceArn, ManageResourcePolicies }.
 */
export const inputReferenceConfigHint = (what: string) =>
  `InputReferenceConfig must be { InputReferenceArn: <${what} ARN>, ManageResourcePolicies: boolean } (the { ReferenceType, ReferenceValues } and { referenceArn } shapes in some docs are wrong)`;
