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
