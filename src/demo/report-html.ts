import type { DemoSummary } from "./types.ts";

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

const pct = (value: number): string => `${(value * 100).toFixed(1)}%`;
const num = (value: number): string => value.toLocaleString("en-US");

interface Bar {
  label: string;
  value: number;
  /** Text right of the bar. */
  note: string;
}

/** A horizontal bar chart as inline SVG (no script, no external asset). */
function barChart(id: string, title: string, bars: Bar[], max: number): string {
  const rowHeight = 30;
  // Room for the longest label at ~7.5 px per character of the 13 px label font.
  const labelWidth = Math.min(
    340,
    Math.max(120, Math.ceil(Math.max(0, ...bars.map((b) => b.label.length)) * 7.5) + 16),
  );
  const barArea = 360;
  const width = labelWidth + barArea + 170;
  const height = Math.max(1, bars.length) * rowHeight + 10;
  const rows = bars
    .map((bar, index) => {
      const y = 5 + index * rowHeight;
      const w = max > 0 ? Math.max(2, Math.round((bar.value / max) * barArea)) : 2;
      return `<g class="row"><text x="${labelWidth - 8}" y="${y + 19}" text-anchor="end" class="label">${escapeHtml(bar.label)}</text><rect class="bar" x="${labelWidth}" y="${y + 4}" width="${w}" height="${rowHeight - 10}" rx="3"><title>${escapeHtml(`${bar.label}: ${bar.note}`)}</title></rect><text x="${labelWidth + w + 8}" y="${y + 19}" class="note">${escapeHtml(bar.note)}</text></g>`;
    })
    .join("");
  return `<figure class="chart"><svg data-chart="${id}" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${rows}</svg></figure>`;
}

const tile = (label: string, value: string) =>
  `<div class="tile"><div class="value">${escapeHtml(value)}</div><div class="tile-label">${escapeHtml(label)}</div></div>`;

const CSS = `
:root{--fg:#1f2933;--muted:#616e7c;--accent:#0b6bcb;--bg:#f7f9fb;--card:#fff}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1000px;margin:0 auto;padding:28px 20px 60px}h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 10px}
.sub{color:var(--muted);margin:0 0 20px}.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px}
.tile{background:var(--card);border-radius:10px;padding:14px 16px;box-shadow:0 1px 3px rgba(0,0,0,.08)}.tile .value{font-size:22px;font-weight:650}
.tile-label{color:var(--muted);font-size:13px}.card{background:var(--card);border-radius:10px;padding:16px 18px;box-shadow:0 1px 3px rgba(0,0,0,.08);overflow-x:auto}
figure.chart{margin:0}svg .bar{fill:var(--accent)}svg .label{font-size:13px;fill:var(--fg)}svg .note{font-size:12px;fill:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e4e7eb}th{color:var(--muted);font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}pre{background:#0f1720;color:#e6edf3;padding:14px;border-radius:8px;overflow-x:auto;font-size:13px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}ol li{margin:4px 0}.muted{color:var(--muted)}`;

/** The demo's report: one self-contained HTML page (inline CSS and SVG; no script, CDN or raw PII). */
export function renderReportHtml(summary: DemoSummary): string {
  const funnelMax = Math.max(...summary.funnel.map((f) => f.count), 1);
  const first = summary.funnel[0]?.count ?? 0;
  const funnel = barChart(
    "funnel",
    "Match funnel",
    summary.funnel.map((f) => ({
      label: f.step,
      value: f.count,
      note: `${num(f.count)}${first > 0 ? ` (${pct(f.count / first)})` : ""}`,
    })),
    funnelMax,
  );
  const ruleMax = Math.max(...summary.perRule.map((r) => r.matched), 1);
  const rules = barChart(
    "rules",
    "Matches per rule (waterfall order)",
    summary.perRule.map((r) => ({
      label: r.rule,
      value: r.matched,
      note: `${num(r.matched)}${r.precision !== undefined ? ` · precision ${pct(r.precision)}` : ""}`,
    })),
    ruleMax,
  );
  const fields = barChart(
    "fields",
    "Identity fields: share of CRM rows with a usable value",
    summary.perField.map((f) => ({
      label: `${f.column} (${f.kind})`,
      value: f.fillRate,
      note: `${pct(f.fillRate)}${f.invalid > 0 ? ` · ${num(f.invalid)} invalid` : ""}`,
    })),
    1,
  );
  const numeric = summary.query.columns.map((_, i) => typeof summary.query.rows[0]?.[i] === "number");
  const queryTable = `<table><thead><tr>${summary.query.columns.map((c, i) => `<th${numeric[i] ? ' class="n"' : ""}>${escapeHtml(c)}</th>`).join("")}</tr></thead><tbody>${summary.query.rows
    .map(
      (row) =>
        `<tr>${row.map((cell) => (typeof cell === "number" ? `<td class="n">${escapeHtml(Number.isInteger(cell) ? num(cell) : cell.toFixed(3))}</td>` : `<td>${escapeHtml(cell)}</td>`)).join("")}</tr>`,
    )
    .join("")}</tbody></table>`;
  const stack = `<table><thead><tr><th>resource</th><th>type</th><th>action</th></tr></thead><tbody>${summary.stack
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.id)}</td><td>${escapeHtml(r.typeName)}</td><td>${escapeHtml(r.action)}</td></tr>`,
    )
    .join("")}</tbody></table>`;
  const m = summary.metrics;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>idbridge demo report</title><style>${CSS}</style></head>
<body><main>
<h1>idbridge demo: CRM → Amazon Marketing Cloud identity route</h1>
<p class="sub">${num(summary.options.people)} synthetic people on the Amazon side, ${num(summary.options.crm)} CRM rows, seed ${summary.options.seed}; offline on the local cloud in ${summary.seconds.toFixed(1)} s. Aggregates only: no identity value appears in this report.</p>
<section class="tiles">${tile("match rate", pct(m.matchRate))}${tile("precision", pct(m.precision))}${tile("recall", pct(m.recall))}${tile("F1", m.f1.toFixed(3))}${tile("ID mapping job", summary.job.status)}</section>
<h2>Match funnel</h2><div class="card">${funnel}</div>
<h2>Matches per rule (waterfall order)</h2><div class="card">${rules}</div>
<h2>Identity fields: share of CRM rows with a usable value</h2><div class="card">${fields}</div>
<h2>${escapeHtml(summary.query.title)}</h2><div class="card"><pre><code>${escapeHtml(summary.query.sql)}</code></pre>${queryTable}</div>
<h2>Infrastructure (iac, local cloud)</h2><div class="card">${stack}</div>
<h2>Try next</h2><div class="card"><ol>${summary.next.map((n) => `<li><code>${escapeHtml(n)}</code></li>`).join("")}</ol></div>
</main></body></html>
`;
}
