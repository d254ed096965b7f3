import type { FinalizeResult } from "./app.ts";
import type { DriftReport, ResourceReport } from "./engine.ts";

const SYMBOL: Record<ResourceReport["action"], string> = {
  create: "+",
  adopt: "⇐",
  update: "~",
  replace: "±",
  delete: "-",
  noop: "=",
};

const show = (value: unknown): string => {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** Plan or apply report, property by property. */
export function formatResources(result: FinalizeResult, verb: string): string {
  const lines = [`${verb} ${result.app} (stage ${result.stage})`];
  for (const report of result.resources) {
    lines.push(
      `${SYMBOL[report.action]} ${report.action.padEnd(7)} ${report.typeName} "${report.id}"${report.identifier ? ` [${report.identifier}]` : ""}`,
    );
    if (report.action === "noop" || report.action === "delete") continue;
    for (const change of report.changes) {
      const mark =
        change.createOnly && report.action === "replace" ? " (create-only: forces replacement)" : "";
      lines.push(`      ${change.path}: ${show(change.before)} → ${show(change.after)}${mark}`);
    }
  }
  const counts = new Map<string, number>();
  for (const report of result.resources) counts.set(report.action, (counts.get(report.action) ?? 0) + 1);
  const summary = [...counts].map(([action, n]) => `${n} ${action}`).join(", ");
  lines.push(summary ? `${summary}.` : "nothing declared.");
  return lines.join("\n");
}

export function formatDrift(result: FinalizeResult): string {
  const lines = [`drift of ${result.app} (stage ${result.stage})`];
  const mark: Record<DriftReport["status"], string> = {
    "in-sync": "=",
    drifted: "!",
    deleted: "x",
    "not-created": "?",
  };
  for (const report of result.drift) {
    lines.push(
      `${mark[report.status]} ${report.status.padEnd(11)} ${report.typeName} "${report.id}"${report.identifier ? ` [${report.identifier}]` : ""}`,
    );
    for (const diff of report.differences) {
      lines.push(`      ${diff.path}: applied ${show(diff.expected)}, live ${show(diff.actual)}`);
    }
  }
  const drifted = result.drift.filter((r) => r.status !== "in-sync").length;
  lines.push(
    drifted === 0
      ? "no drift."
      : `${drifted} of ${result.drift.length} resources drifted; run up to converge.`,
  );
  return lines.join("\n");
}
