import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

/** Debian's Chromium (apt-get install -y chromium); never a browser downloaded by a test tool. */
export const CHROMIUM = "/usr/bin/chromium";

/** node:test's `skip` option: false when Chromium is there, else the reason. */
export const skipWithoutChromium = (): false | string =>
  existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install -y chromium)`;

// Without the background-networking flags Chromium keeps dialling out, which this sandbox refuses.
export async function launchHeadlessChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
