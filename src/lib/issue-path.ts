/** A zod issue's path as a field reference: "rules[2].matchingKeys[0]" (`root` goes first when given). */
export function issuePath(path: readonly PropertyKey[], root = ""): string {
  return path.reduce<string>(
    (acc, part) =>
      typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
    root,
  );
}
