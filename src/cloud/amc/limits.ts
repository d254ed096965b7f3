// Limits of AMC collaboration instances, as Amazon Ads' AMC guide
// "Bring identity data into the collaboration instance" states them.

/** AMC collaboration instances exist only in us-east-1. */
export const AMC_REGION = "us-east-1";

/** A table may be refreshed at most once in 14 days. */
export const REFRESH_INTERVAL_MS = 14 * 24 * 60 * 60 * 1000;

/** An instance can have up to 5 mapping tables. */
export const MAX_TABLES_PER_INSTANCE = 5;

/** A schema mapping holds at most 25 columns (1 unique id + 24 identity columns). */
export const MAX_SCHEMA_COLUMNS = 25;
