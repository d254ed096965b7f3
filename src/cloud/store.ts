/**
 * The contract of the one durable store every service keeps its state in. Records are JSON values
 * in named tables, keyed by string. Reads are synchronous from memory; a transaction applies all of
 * its writes or none, and its promise resolves only once they are durable (a kill -9 after that
 * loses nothing, a kill -9 before it leaves the state as it was). Big payloads (S3 objects, job
 * outputs) live as files under blobDir(), written to a temp name and renamed.
 */
export interface StoreTx {
  get<T>(table: string, key: string): T | undefined;
  put<T>(table: string, key: string, value: T): void;
  delete(table: string, key: string): void;
}

export interface Store extends Omit<StoreTx, "put" | "delete"> {
  list<T>(table: string, keyPrefix?: string): Array<[key: string, value: T]>;
  /** Runs fn (synchronously, serialized with every other transaction) and makes its writes durable. */
  transact<R>(fn: (tx: StoreTx) => R): Promise<R>;
  /** Directory for large files owned by the store (created on demand). */
  blobDir(...parts: string[]): string;
  close(): Promise<void>;
}
