import { z } from "zod";

/** CloudFormation shapes shared by the AWS::CleanRooms::* resource types (PascalCase). */

export const Uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "must be a lowercase UUID");

export const DisplayName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^(?!\s*$)[\u0020-\uD7FF\uE000-\uFFFD\t]*$/, "must not be blank");

export const Description = z
  .string()
  .max(255)
  .regex(/^[\u0020-\uD7FF\uE000-\uFFFD\t\r\n]*$/);

export const Tag = z.strictObject({
  Key: z.string().min(1).max(128),
  Value: z.string().min(1).max(256),
});
export const Tags = z.array(Tag);
export type Tags = z.infer<typeof Tags>;

export const QueryLogStatus = z.enum(["ENABLED", "DISABLED"]);
export const MemberAbility = z.enum(["CAN_QUERY", "CAN_RUN_JOB", "CAN_RECEIVE_RESULTS"]);
export const MLMemberAbilities = z.strictObject({
  CustomMLMemberAbilities: z
    .array(z.enum(["CAN_RECEIVE_MODEL_OUTPUT", "CAN_RECEIVE_INFERENCE_OUTPUT"]))
    .min(1),
});
const IsResponsible = z.strictObject({ IsResponsible: z.boolean() });
export const PaymentConfiguration = z.strictObject({
  QueryCompute: IsResponsible,
  JobCompute: IsResponsible.optional(),
  MachineLearning: z
    .strictObject({ ModelTraining: IsResponsible.optional(), ModelInference: IsResponsible.optional() })
    .optional(),
});

/**
 * The shape of InputReferenceConfig, written once for both resource types that take one. Some
 * published Alchemy docs show `{ ReferenceType, ReferenceValues }` or `{ referenceArn }`; neither is
 * what AWS accepts, so those keys get a message that names the real shape.
 */
export function inputReferenceConfig(what: string, arnPattern: RegExp) {
  const shape = `InputReferenceConfig must be { InputReferenceArn: <${what} ARN>, ManageResourcePolicies: boolean }`;
  return z.strictObject(
    {
      InputReferenceArn: z
        .string({
          error: (issue) =>
            issue.input === undefined ? `${shape}; InputReferenceArn is missing` : undefined,
        })
        .min(20)
        .regex(arnPattern, `InputReferenceArn must be an ${what} ARN`),
      ManageResourcePolicies: z.boolean({
        error: (issue) =>
          issue.input === undefined
            ? `${shape}; ManageResourcePolicies is missing`
            : `${shape}; ManageResourcePolicies must be true or false`,
      }),
    },
    {
      error: (issue) => {
        if (issue.code === "unrecognized_keys") {
          return `${shape}; unknown key(s) ${issue.keys.join(", ")} (the { ReferenceType, ReferenceValues } and { referenceArn } shapes in some docs are wrong)`;
        }
        if (issue.code === "invalid_type") return `${shape}`;
        return undefined;
      },
    },
  );
}

/** CloudFormation tag list <-> the API's tag map. */
export { tagsFromMap, tagsToMap } from "../tags.ts";
