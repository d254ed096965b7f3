/**
 * A file of the local cloud's home (credentials.json, server.json) that serve cannot use: the message
 * names the file and the field, the hint says what to do. Library callers (iac, the AMC client) get
 * this type; the CLI renders it like its own errors.
 */
export class ServeFileError extends Error {
  override readonly name = "ServeFileError";
  constructor(
    readonly path: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** A serve setting (option or IDBRIDGE_* variable) with a value it cannot use; the hint shows a good one. */
export class ServeConfigError extends Error {
  override readonly name = "ServeConfigError";
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}
