/** An error answer of the AMC admin API, with what to do about it. Never carries the token or request values. */
export class AmcApiError extends Error {
  override readonly name = "AmcApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(`AMC API ${status} ${code}: ${message}`);
  }
}

/** The AMC client is not configured well enough to call AMC; `hint` says what to set. */
export class AmcConfigError extends Error {
  override readonly name = "AmcConfigError";
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** AMC's limits, explained where the API only says "quota" or "conflict". */
export function hintFor(
  status: number,
  code: string,
  message: string,
  operation: string,
): string | undefined {
  const text = `${code} ${message}`.toLowerCase();
  if (status === 402 || /quota|limit|maximum/.test(text)) {
    if (operation === "createTable" || /mapping table/.test(text)) {
      return "an AMC instance holds at most 5 ID mapping tables: delete one you no longer need (`idbridge amc tables delete <id>`) and try again";
    }
    return "a Clean Rooms/AMC quota was reached (5 ID mapping tables, 10 namespace associations per membership)";
  }
  if (operation === "refreshTable" && (status === 409 || status === 429 || /14|refresh/.test(text))) {
    return "an ID mapping table can be refreshed at most once every 14 days, and only when its input changed; new rows with new unique ids flow in without a refresh";
  }
  if (/region|us-east-1/.test(text)) {
    return "the AMC identity route runs in us-east-1 only: create the bucket, Glue table, schema mapping and namespace there";
  }
  if (status === 401 || status === 403) {
    return "check the Login with Amazon access token (it expires after an hour), client id, AMC account id and marketplace id";
  }
  if (status === 404) return "check the instance id and the table/job id (`idbridge amc tables list`)";
  return undefined;
}
