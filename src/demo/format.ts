import type { DemoSummary } from "./types.ts";

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The demo's result for the terminal: figures, per rule, the query, where the report is, what next. */
export function formatSummary(summary: DemoSummary): string {
  const m = summary.metrics;
  const lines = [
    "",
    `idbridge demo — ${summary.options.crm} CRM rows against ${summary.options.people} Amazon-side people (seed ${summary.options.seed}), ${summary.seconds.toFixed(1)} s`,
    "",
    `  match rate ${pct(m.matchRate)}   precision ${pct(m.precision)}   recall ${pct(m.recall)}   F1 ${m.f1.toFixed(3)}`,
    "",
    "  funnel:",
    ...summary.funnel.map((f) => `    ${f.step.padEnd(26)} ${String(f.count).padStart(9)}`),
    "",
    "  per rule (waterfall order):",
    ...summary.perRule.map(
      (r) =>
        `    ${r.rule.padEnd(26)} ${String(r.matched).padStart(9)}${r.precision !== undefined ? `   precision ${pct(r.precision)}` : ""}`,
    ),
    "",
    `  ${summary.query.title}:`,
    `    ${summary.query.columns.join(" | ")}`,
    ...summary.query.rows.map(
      (row) =>
        `    ${row.map((c) => (typeof c === "number" && !Number.isInteger(c) ? c.toFixed(3) : String(c))).join(" | ")}`,
    ),
    "",
    `  report:  ${summary.files.report}`,
    `  stack:   ${summary.files.stack}`,
    "",
    "  try next:",
    ...summary.next.map((n) => `    ${n}`),
  ];
  return lines.join("\n");
}
