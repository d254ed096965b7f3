/**
 * A rule set, schema mapping or input that Entity Resolution would refuse. The local cloud turns it
 * into ER's ValidationException (400); the CLI prints it. The message names the rule, key, field or
 * file at fault and never carries a data value.
 */
export class MatchValidationError extends Error {
  override readonly name = "MatchValidationError";
  constructor(
    message: string,
    /** Where the problem is, e.g. "rules[2].matchingKeys[0]" or "source 'crm' field 'email_2'". */
    readonly path?: string,
  ) {
    super(message);
  }
}
