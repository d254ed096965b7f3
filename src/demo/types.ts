/** Everything the demo measured: aggregates only, never a raw identity value. */
export interface DemoSummary {
  options: { people: number; crm: number; seed: number };
  seconds: number;
  /** Rows (or records) at each step of the route, first to last. */
  funnel: Array<{ step: string; count: number }>;
  metrics: { matchRate: number; precision: number; recall: number; f1: number };
  /** Per matching rule, in waterfall order. */
  perRule: Array<{ rule: string; matched: number; correct?: number; precision?: number }>;
  /** Per prepared identity column. */
  perField: Array<{ column: string; kind: string; fillRate: number; invalid: number }>;
  job: { jobId: string; tableId: string; status: string; metrics: Record<string, number> };
  /** iac: what `up` did per resource. */
  stack: Array<{ id: string; typeName: string; action: string; identifier?: string }>;
  query: { title: string; sql: string; columns: string[]; rows: Array<Array<string | number>> };
  files: Record<string, string>;
  next: string[];
}
