import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { launchHeadlessChromium, skipWithoutChromium } from "../../test/support/headless-chromium.ts";
import { setting } from "../config.ts";
import { runDemo } from "./run.ts";

/**
 * Raw identity values of the synthetic CRM that cannot be mistaken for report words: emails,
 * phone numbers and street addresses (a house number and a street name).
 */
function crmValues(csv: string): string[] {
  const text = readFileSync(csv, "utf8");
  const values = new Set<string>();
  for (const match of text.matchAll(/[\w.+-]+@[\w-]+\.[\w.]+/g)) values.add(match[0]);
  for (const match of text.matchAll(/(?<=,)[^,\n"]*\d{3}[^,\n"]*\d{4}(?=,)/g)) values.add(match[0].trim());
  for (const match of text.matchAll(/(?<=,)\d{2,5} [A-Za-z][A-Za-z ]{4,}(?=,)/g)) values.add(match[0].trim());
  return [...values].filter((value) => value.length >= 7);
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );

describe("idbridge demo", () => {
  const outDir = mkdtempSync(join(tmpdir(), "idbridge-demo-"));
  after(() => rmSync(outDir, { recursive: true, force: true }));
  let result: Awaited<ReturnType<typeof runDemo>>;

  it("runs the whole route offline at a small size", { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    result = await runDemo({ people: 400, crm: 150, seed: 7, outDir, log: (line) => lines.push(line) });
    const { summary } = result;
    assert.equal(summary.job.status, "SUCCEEDED");
    assert.match(summary.job.jobId, /^[0-9a-f]{32}$/);
    assert.deepEqual(
      summary.stack.map((r) => `${r.typeName}:${r.action}`),
      [
        "AWS::S3::Bucket:create",
        "AWS::Glue::Database:create",
        "AWS::Glue::Table:create",
        "AWS::IAM::Role:create",
        "AWS::EntityResolution::SchemaMapping:create",
        "AWS::EntityResolution::IdNamespace:create",
        "AWS::CleanRooms::IdNamespaceAssociation:create",
      ],
    );
    const m = summary.metrics;
    for (const [name, value] of Object.entries(m)) assert.ok(value >= 0 && value <= 1, `${name} is a share`);
    // The synthetic CRM is mostly people the graph knows; a working route maps many, mostly correctly.
    assert.ok(m.matchRate > 0.3, `match rate ${m.matchRate}`);
    assert.ok(m.precision > 0.8, `precision ${m.precision}`);
    const [crmRows, prepared, mapped, correct] = summary.funnel.map((f) => f.count);
    assert.equal(crmRows, 150);
    assert.ok(prepared! <= crmRows! && mapped! <= prepared! && correct! <= mapped!, "the funnel narrows");
    assert.ok(summary.perRule.length > 0 && summary.perRule.reduce((n, r) => n + r.matched, 0) === mapped);
    assert.ok(summary.query.rows.length > 0, "the segment query returns rows");
    assert.ok(
      lines.some((line) => /AMC API: created the ID mapping table/.test(line)),
      "progress was reported",
    );
    assert.ok(
      existsSync(result.reportHtmlPath) && existsSync(result.summaryPath) && existsSync(result.stackPath),
    );
  });

  it("writes no raw identity value into the report, summary or iac state", () => {
    const values = crmValues(
      join(outDir, "synth", readdirSync(join(outDir, "synth")).find((f) => f.startsWith("crm"))!),
    );
    assert.ok(values.length > 50, "the CRM has identity values to look for");
    const outputs = [
      result.reportHtmlPath,
      result.summaryPath,
      ...filesUnder(join(outDir, "cloud", "state")),
    ];
    for (const file of outputs) {
      const text = readFileSync(file, "utf8");
      const leaked = values.filter((value) => text.includes(value));
      assert.deepEqual(leaked.slice(0, 3), [], `${file} holds raw CRM values`);
    }
  });

  it("report.html renders its charts in headless Chromium", {
    skip: skipWithoutChromium(),
    timeout: 60_000,
  }, async () => {
    const browser = await launchHeadlessChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const external: string[] = [];
      page.on("request", (request) => {
        if (!request.url().startsWith("file:")) external.push(request.url());
      });
      await page.goto(`file://${result.reportHtmlPath}`);
      const bars: Record<string, number[]> = await page.$$eval("svg[data-chart]", (svgs) =>
        Object.fromEntries(
          svgs.map((svg) => [
            svg.getAttribute("data-chart") ?? "",
            [...svg.querySelectorAll("rect.bar")].map(
              (bar) => (bar as unknown as { getBBox(): { width: number } }).getBBox().width,
            ),
          ]),
        ),
      );
      assert.equal(bars.funnel?.length, 4);
      assert.equal(bars.rules?.length, result.summary.perRule.length);
      assert.equal(bars.fields?.length, result.summary.perField.length);
      for (const [chart, widths] of Object.entries(bars))
        assert.ok(
          widths.every((w) => w > 0),
          `${chart} bars are drawn`,
        );
      assert.deepEqual(external, [], "no network request");
      const shot = join(outDir, "report.png");
      await page.screenshot({ path: shot, fullPage: true });
      const keep = setting("keepScreenshot");
      if (keep) await page.screenshot({ path: keep, fullPage: true });
      assert.ok(statSync(shot).size > 10_000);
    } finally {
      await browser.close();
    }
  });
});
