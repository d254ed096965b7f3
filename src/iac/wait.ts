import { setTimeout as sleep } from "node:timers/promises";
import type { CloudControlPort, ProgressEvent } from "./port.ts";

export interface WaitOptions {
  /** First pause between GetResourceRequestStatus polls, doubled after each. @default 1000 (aws), 10 (local) */
  initialDelayMs: number;
  /** Longest pause between polls. @default 10000 (aws), 250 (local) */
  maxDelayMs: number;
  /** Give up after this long. @default 30 minutes (aws), 2 minutes (local) */
  timeoutMs: number;
}

export const waitDefaults = (backend: string): WaitOptions =>
  backend === "aws"
    ? { initialDelayMs: 1000, maxDelayMs: 10_000, timeoutMs: 30 * 60_000 }
    : { initialDelayMs: 10, maxDelayMs: 250, timeoutMs: 2 * 60_000 };

/** A Cloud Control request that ended FAILED (or was cancelled). */
export class OperationFailedError extends Error {
  override readonly name = "OperationFailedError";
  constructor(readonly event: ProgressEvent) {
    super(
      `${event.Operation ?? "request"} ${event.TypeName ?? ""}${event.Identifier ? ` ${event.Identifier}` : ""} ${event.OperationStatus === "CANCEL_COMPLETE" ? "was cancelled" : "failed"}${event.ErrorCode ? ` (${event.ErrorCode})` : ""}: ${event.StatusMessage ?? "no message"} [request ${event.RequestToken ?? "?"}]`,
    );
  }
  get errorCode(): string | undefined {
    return this.event.ErrorCode;
  }
}

export class WaitTimeoutError extends Error {
  override readonly name = "WaitTimeoutError";
  constructor(event: ProgressEvent, timeoutMs: number) {
    super(
      `${event.Operation ?? "request"} ${event.TypeName ?? ""} still ${event.OperationStatus} after ${Math.round(timeoutMs / 1000)} s [request ${event.RequestToken}]; it may still finish: re-run the same command to pick it up`,
    );
  }
}

/** Polls GetResourceRequestStatus with exponential backoff until the request succeeds; throws on failure or timeout. */
export async function waitForRequest(
  port: CloudControlPort,
  first: ProgressEvent | undefined,
  options: WaitOptions,
): Promise<ProgressEvent> {
  if (!first?.RequestToken) throw new Error("Cloud Control answered without a ProgressEvent.RequestToken");
  let event = first;
  let delay = options.initialDelayMs;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (event.OperationStatus === "SUCCESS") return event;
    if (event.OperationStatus === "FAILED" || event.OperationStatus === "CANCEL_COMPLETE") {
      throw new OperationFailedError(event);
    }
    if (Date.now() >= deadline) throw new WaitTimeoutError(event, options.timeoutMs);
    await sleep(delay);
    delay = Math.min(delay * 2, options.maxDelayMs);
    const answer = await port.getResourceRequestStatus({ RequestToken: first.RequestToken });
    if (!answer.ProgressEvent) throw new Error("GetResourceRequestStatus answered without a ProgressEvent");
    event = answer.ProgressEvent;
  }
}
