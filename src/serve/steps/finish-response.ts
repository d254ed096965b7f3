import { discardBody } from "../body.ts";
import type { Step } from "../pipeline.ts";

/**
 * The last touches every answer gets: no body on HEAD (RFC 9110 §9.3.2), and a Date header from the
 * same clock as the signature check, since SDKs correct their clock skew from it.
 */
export function finishResponse({ now }: { now: () => Date }): Step {
  let second = Number.NaN;
  let date = "";
  return async function finishResponse(c, next) {
    await next();
    const response = c.response;
    if (!response) throw new Error("the pipeline ended without a response");
    if (c.request.method === "HEAD" && response.body !== undefined) {
      discardBody(response.body);
      response.body = undefined;
    }
    const time = now().getTime();
    // One Date string per second: the header has one-second resolution.
    if (Math.floor(time / 1000) !== second) {
      second = Math.floor(time / 1000);
      date = new Date(time).toUTCString();
    }
    response.headers.date = date;
  };
}
