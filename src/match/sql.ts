/** A SQL identifier, quoted with `"` doubled: column names come from user files. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A SQL string literal for values the engine itself owns (normalizer kinds from a fixed list).
 * User data and paths are always bound as parameters instead.
 */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
