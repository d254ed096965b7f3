// The baseline `idbridge match` is compared with: the plain DuckDB SQL waterfall a data engineer would
// write over the same files — one join per rule, sources mapped by an earlier rule left out (NOT IN),
// the smallest target id per source. Usage: node naive-waterfall.mjs <source.parquet> <target.parquet> <out.parquet>
// Columns are those of the prepared bench CRM (zip) and the synth graph (postal).
import { DuckDBInstance } from "@duckdb/node-api";

const [source, target, out] = process.argv.slice(2);
const db = await DuckDBInstance.create(":memory:");
const c = await db.connect();
await c.run(
  `COPY (
     WITH r1 AS (SELECT s.customer_id AS source_id, min(t.target_id) AS target_id, 'email' AS match_rule
                 FROM read_parquet($s) s JOIN read_parquet($t) t ON s.email = t.email GROUP BY s.customer_id),
          r2 AS (SELECT s.customer_id AS source_id, min(t.target_id) AS target_id, 'phone' AS match_rule
                 FROM read_parquet($s) s JOIN read_parquet($t) t ON s.phone = t.phone
                 WHERE s.customer_id NOT IN (SELECT source_id FROM r1) GROUP BY s.customer_id),
          r3 AS (SELECT s.customer_id AS source_id, min(t.target_id) AS target_id, 'name_address_postal' AS match_rule
                 FROM read_parquet($s) s JOIN read_parquet($t) t
                   ON s.first_name = t.first_name AND s.last_name = t.last_name AND s.address = t.address AND s.zip = t.postal
                 WHERE s.customer_id NOT IN (SELECT source_id FROM r1) AND s.customer_id NOT IN (SELECT source_id FROM r2)
                 GROUP BY s.customer_id)
     SELECT * FROM r1 UNION ALL SELECT * FROM r2 UNION ALL SELECT * FROM r3) TO $o (FORMAT parquet)`,
  { s: source, t: target, o: out },
);
c.closeSync();
db.closeSync();
