import { performance } from "node:perf_hooks";
import type { Step } from "../pipeline.ts";

/** One access-log line. Never bodies, keys, query values or anything else a caller may have sent as data. */
export interface AccessLogEntry {
  time: string;
  requestId: string;
  service: string;
  operation?: string;
  status: number;
  ms: number;
  principal?: string;
  /** Name of an unexpected (non-AWS) error class, for 500s. */
  error?: string;
}

/** Writes one entry per request once it is answered (outermost step, so it times everything). */
export function accessLog({ log }: { log: (entry: AccessLogEntry) => void }): Step {
  return async function accessLog(c, next) {
    const time = new Date().toISOString();
    const started = performance.now();
    await next();
    log({
      time,
      requestId: c.requestId,
      service: c.serviceName,
      operation: c.call?.operation,
      status: c.response?.status ?? 500,
      ms: Math.round((performance.now() - started) * 100) / 100,
      principal: c.principal,
      error: c.unexpected,
    });
  };
}
