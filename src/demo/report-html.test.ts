import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { launchHeadlessChromium, skipWithoutChromium } from "../../test/support/headless-chromium.ts";
import { renderReportHtml } from "./report-html.ts";
import type { DemoSummary } from "./types.ts";

const sample: DemoSummary = {
  options: { people: 2000, crm: 500, seed: 7 },
  seconds: 4.2,
  funnel: [
    { step: "CRM rows", count: 500 },
    { step: "prepared rows", count: 480 },
    { step: "mapped", count: 390 },
    { step: "mapped correctly", count: 371 },
  ],
  metrics: { matchRate: 0.78, precision: 0.951, recall: 0.88, f1: 0.914 },
  perRule: [
    { rule: "email", matched: 250, precision: 0.99 },
    { rule: "phone", matched: 90, precision: 0.93 },
    { rule: "name_address", matched: 50, precision: 0.8 },
  ],
  perField: [
    { column: "email", kind: "EMAIL", fillRate: 0.82, invalid: 12 },
    { column: "phone", kind: "PHONE", fillRate: 0.64, invalid: 3 },
  ],
  job: { jobId: "a".repeat(32), tableId: "t-1", status: "SUCCEEDED", metrics: { inputRecords: 2480 } },
  stack: [{ id: "bucket", typeName: "AWS::S3::Bucket", action: "create" }],
  query: {
    title: "Conversions by CRM segment",
    sql: "SELECT 1 -- <script>alert(1)</script>",
    columns: ["segment", "crm_customers", "conversions_per_reached"],
    rows: [
      ["loyal", 120, 0.25],
      ["new <b>", 130, 0.125],
    ],
  },
  files: {},
  next: ["idbridge prepare your.csv --out prepared/"],
};

describe("demo report.html", () => {
  const dir = mkdtempSync(join(tmpdir(), "idbridge-report-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is self-contained and escapes what it shows", () => {
    const html = renderReportHtml(sample);
    assert.doesNotMatch(html, /<script/i, "no script: the page must render without JavaScript");
    assert.doesNotMatch(html, /(src|href)=["']?https?:/i, "no external asset (CDN, font, image)");
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, "SQL text is escaped");
    assert.match(html, /new &lt;b&gt;/, "cells are escaped");
    for (const chart of ["funnel", "rules", "fields"])
      assert.match(html, new RegExp(`data-chart="${chart}"`));
  });

  it("renders its charts in headless Chromium", {
    skip: skipWithoutChromium(),
  }, async () => {
    const file = join(dir, "report.html");
    writeFileSync(file, renderReportHtml(sample));
    const browser = await launchHeadlessChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const requests: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      await page.goto(`file://${file}`);
      const charts = await page.$$eval("svg[data-chart]", (svgs) =>
        svgs.map((svg) => ({
          id: svg.getAttribute("data-chart"),
          bars: [...svg.querySelectorAll("rect.bar")].map(
            (bar) => (bar as unknown as { getBBox(): { width: number } }).getBBox().width,
          ),
          height: svg.getBoundingClientRect().height,
        })),
      );
      assert.deepEqual(
        charts.map((c) => c.id),
        ["funnel", "rules", "fields"],
      );
      assert.equal(charts[0]!.bars.length, 4, "one funnel bar per step");
      for (const chart of charts) {
        assert.ok(chart.height > 0, `${chart.id} is laid out`);
        assert.ok(
          chart.bars.every((w) => w > 0),
          `${chart.id} bars have width`,
        );
      }
      // Bars scale with their values: the funnel's first step is the widest.
      assert.ok(charts[0]!.bars[0]! > charts[0]!.bars[3]!);
      assert.deepEqual(
        requests.filter((url) => !url.startsWith("file:")),
        [],
        "no network request",
      );
      const shot = join(dir, "report.png");
      await page.screenshot({ path: shot, fullPage: true });
      if (process.env.IDBRIDGE_KEEP_SCREENSHOT)
        writeFileSync(process.env.IDBRIDGE_KEEP_SCREENSHOT, await page.screenshot({ fullPage: true }));
      assert.ok(statSync(shot).size > 10_000, "the screenshot has content");
    } finally {
      await browser.close();
    }
  });
});
