import { type DuckDBConnection, DuckDBScalarFunction, VARCHAR } from "@duckdb/node-api";
import { countryCode, type IdentityKind, isIdentityKind, normalizeValue } from "../normalize/index.ts";

export const NORMALIZE_UDF = "idbridge_normalize";

/**
 * Registers idbridge_normalize(kind, value, country) so raw (hashed: false) inputs are normalized by
 * the same code prepare uses, inside the query that loads them. A country that is empty or unknown means the default.
 */
export function registerNormalizeUdf(connection: DuckDBConnection, defaultCountry: () => string): void {
  connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: NORMALIZE_UDF,
      returnType: VARCHAR,
      parameterTypes: [VARCHAR, VARCHAR, VARCHAR],
      mainFunction: (_info, input, output) => {
        const kinds = input.getColumnVector(0);
        const values = input.getColumnVector(1);
        const countries = input.getColumnVector(2);
        const fallback = defaultCountry();
        for (let row = 0; row < input.rowCount; row++) {
          const kind = kinds.getItem(row) as string;
          const value = values.getItem(row) as string | null;
          // Country columns hold names as often as codes ("United States", "USA"): the normalizers want ISO alpha-2.
          const country = countryCode((countries.getItem(row) as string | null) ?? "") ?? fallback;
          output.setItem(
            row,
            isIdentityKind(kind) ? normalizeValue(kind as IdentityKind, value, country) : null,
          );
        }
        output.flush();
      },
    }),
  );
}
