/** Bad input: says where (file, row, column — never the value) and what to do. */
export class PrepareError extends Error {
  override readonly name = "PrepareError";
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
