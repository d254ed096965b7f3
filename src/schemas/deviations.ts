/**
 * Every place where idbridge deliberately differs from AWS's CloudFormation resource schemas
 * (src/schemas/aws/cfn-schemas.json), with the reason. Everything else — property names, required,
 * enums, patterns, lengths, item limits, uniqueItems, createOnly/readOnly/writeOnly and
 * primaryIdentifier — is generated from the snapshot (src/schemas/aws/generated/), and the tests
 * in src/schemas/aws/ fail when the generated code, this list or the local cloud drift from it.
 * The README's "AWS fidelity" section names these.
 */
export interface Deviation {
  typeName: string;
  /** Which fact differs. */
  fact: "primaryIdentifier";
  aws: readonly string[];
  idbridge: readonly string[];
  reason: string;
}

export const DEVIATIONS: readonly Deviation[] = [
  {
    typeName: "AWS::Glue::Table",
    fact: "primaryIdentifier",
    aws: ["Id"],
    idbridge: ["DatabaseName", "Id"],
    reason:
      "AWS's identifier is the read-only Id (the table name) alone, which does not say which database the " +
      'table is in; the local cloud\'s Cloud Control identifier is "database|table" so that GetResource, ' +
      "UpdateResource and DeleteResource can find it.",
  },
];
