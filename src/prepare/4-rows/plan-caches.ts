import { NATIVE_BATCH } from "../2-chunks/scan.ts";
import { NativeColumns } from "../5-native/native-columns.ts";
import type { OutputColumn } from "../6-parquet/column-chunk.ts";
import type { TransformPlan } from "../types.ts";
import { RawValueCache } from "./raw-value-cache.ts";

// Names, places and codes repeat a lot in real CRM data; emails, phones and street addresses rarely do.
export const CACHED_KINDS = new Set([
  "NAME_FIRST",
  "NAME_LAST",
  "ADDRESS_CITY",
  "ADDRESS_STATE",
  "ADDRESS_COUNTRY",
]);
export const CACHE_ENTRIES = 50_000;

export interface PlanCaches {
  /** Normalized values by trimmed raw string (the path of Parquet input and unusual CSV fields). */
  byText: Array<Map<string, string | null> | null>;
  /** Outcomes and values by raw CSV field bytes (the path of CSV input). */
  byBytes: Array<RawValueCache | null>;
  /** The row's country code by the country field's raw bytes. */
  countryByBytes: RawValueCache;
  /** Native normalizing of whole batches for the columns that have it (null without the addon). */
  nativeColumns: NativeColumns | null;
  /** Columns of an encoded row group, for the next transformer: their buffers are grown already. */
  spareColumns: OutputColumn[] | null;
}

// One transformer per chunk, but the normalized-value caches live as long as the plan (a whole file, in
// each thread): on real data names repeat across chunks far more than within one.
const planCaches = new WeakMap<TransformPlan, PlanCaches>();

export function cachesFor(plan: TransformPlan): PlanCaches {
  let caches = planCaches.get(plan);
  if (!caches) {
    const cached = plan.identity.map((c) => CACHED_KINDS.has(c.kind));
    caches = {
      byText: cached.map((yes) => (yes ? new Map<string, string | null>() : null)),
      byBytes: cached.map((yes) => (yes ? new RawValueCache(CACHE_ENTRIES) : null)),
      countryByBytes: new RawValueCache(1024),
      nativeColumns: NativeColumns.for(plan, NATIVE_BATCH, (kind) => CACHED_KINDS.has(kind)),
      spareColumns: null,
    };
    planCaches.set(plan, caches);
  }
  return caches;
}
