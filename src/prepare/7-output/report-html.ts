import type { PrepareReport } from "../types.ts";

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );
const n = (value: number) => value.toLocaleString("en-US");
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

function table(head: string[], rows: Array<Array<string | number>>): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const tr = rows
    .map(
      (r) => `<tr>${r.map((c) => `<td>${typeof c === "number" ? n(c) : escapeHtml(c)}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

/** A self-contained page of the data-quality report: counts and names only, never a value. */
export function renderReportHtml(report: PrepareReport): string {
  const d = report.duplicates;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>idbridge prepare report</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}td:not(:first-child){font-variant-numeric:tabular-nums}
.warn{color:#a60}</style></head><body>
<h1>idbridge prepare</h1>
<p>${escapeHtml(report.input.format.toUpperCase())} input, ${n(report.input.bytes)} bytes; country ${escapeHtml(report.options.country)};
${report.options.hash ? "SHA-256 hashed" : "normalized, not hashed"}; ${report.seconds.toFixed(2)} s (${n(report.rowsPerSecond)} rows/s).</p>
<h2>Rows</h2>
${table(
  ["", "rows"],
  [
    ["read", report.rowsIn],
    ["written (one per id)", report.rowsOut],
    ["dropped: no id", report.dropped.missingId],
    ["dropped: no usable identity value", report.dropped.noIdentityValues],
  ],
)}
<h2>Duplicate ids</h2>
${table(
  ["", "count"],
  [
    ["ids on more than one row", d.ids],
    ["rows sharing an id", d.rows],
    ["most rows for one id", d.maxRowsPerId],
    ["ids over ER's 25 rows", d.idsOverRowLimit],
    ["ids collapsed into one row", d.collapsedIds],
    ["values over the per-column cap (dropped)", d.valuesOverCap],
  ],
)}
<h2>Columns</h2>
${table(
  ["column", "source", "kind", "filled", "fill rate", "empty", "invalid", "pre-hashed"],
  report.columns.map((c) => [
    c.column,
    c.source,
    c.kind,
    c.filled,
    pct(c.fillRate),
    c.empty,
    c.invalid,
    c.preHashed,
  ]),
)}
<h2>Detected roles</h2>
${table(
  ["header", "role", "kind", "decided by"],
  report.roles.map((r) => [r.source, r.role, r.kind ?? "", r.detectedBy]),
)}
<h2>Tables</h2>
${table(
  ["table", "rows", "columns"],
  report.tables.map((t) => [t.name, t.rows, t.columns.join(", ")]),
)}
<h2>Rows by country</h2>
${table(
  ["country", "rows"],
  Object.entries(report.countries).map(([code, rows]) => [code, rows]),
)}
${report.warnings.length ? `<h2>Warnings</h2><ul>${report.warnings.map((w) => `<li class="warn">${escapeHtml(w)}</li>`).join("")}</ul>` : ""}
</body></html>
`;
}
