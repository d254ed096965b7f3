/** An error meant for the person at the terminal: a message that says what went wrong and a hint that says what to do. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
