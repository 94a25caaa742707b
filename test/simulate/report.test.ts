import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
  loadScenario,
  renderReport,
  renderSummary,
  simulate,
  simulateCompare,
} from "../../src/simulate/index.js";
import { chromiumAvailable, withPage } from "./cdp.js";
import { gated, given } from "./fixtures.js";

const seedScenario = () =>
  loadScenario(readFileSync("examples/seed/scenario.yaml", "utf8"), "examples/seed/scenario.yaml");

describe("text summary", () => {
  it("shows the distribution of failed requests, duration, rollbacks and stopped tasks per variant", () => {
    const r = simulateCompare(given, gated, seedScenario(), { runs: 400, seed: 1 });
    const text = renderSummary(r);
    expect(text).toMatch(/Simulated 400 deploys per variant of scenario "seed" \(seed 1\)/);
    for (const label of [
      "failed requests per deploy, p50 / p95 / p99 / max",
      "deploy duration, p50 / p95 / p99 / max",
      "circuit breaker tripped / rolled back",
      "tasks stopped before they took traffic",
    ]) {
      expect(text).toContain(label);
    }
    expect(text).toMatch(/given: log-router, dd-agent, app; router log-router; no gate; target app/);
    expect(text).toMatch(/gate log-router-preflight \(probe\)/);
  });

  it("JSON round-trips (numbers, no functions)", () => {
    const r = simulate(given, seedScenario(), { runs: 50, seed: 2 });
    const back = JSON.parse(JSON.stringify(r)) as typeof r;
    expect(back.variants[0]?.failedRequests).toEqual(r.variants[0]?.failedRequests);
    expect(back.variants[0]?.trace?.tasks.length).toBe(r.variants[0]?.trace?.tasks.length);
  });
});

describe("HTML report", () => {
  const result = simulateCompare(given, gated, seedScenario(), { runs: 500, seed: 1 });
  const html = renderReport(result);

  it("is one self-contained file: no scripts, no external resources", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    const urls = html.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
    expect(urls.every((u) => u === "http://www.w3.org/2000/svg")).toBe(true);
  });

  it("has a timeline per variant of the same deploy, with container bars, target states and failures", () => {
    expect(result.representative).not.toBeNull();
    expect(html.match(/<svg class="timeline"/g)).toHaveLength(2);
    expect(html).toMatch(/data-variant="given"/);
    expect(html).toMatch(/data-variant="gated"/);
    expect(html).toMatch(/class="bar container role-router"/);
    expect(html).toMatch(/class="failed"/);
    expect(html.match(/<svg class="histogram"/g)).toHaveLength(2);
  });

  const runBrowser = chromiumAvailable() || process.env.CI !== undefined;
  it.skipIf(!runBrowser)(
    "renders in headless chromium with no console errors and the expected bars",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "flp-report-"));
      const file = join(dir, "report.html");
      writeFileSync(file, html);
      const given0 = result.variants[0]?.trace;
      const gated0 = result.variants[1]?.trace;
      const expectedBars = (t: typeof given0) =>
        (t?.tasks ?? []).reduce(
          (n, task) => n + task.containers.filter((c) => c.startedAt !== null).length,
          0,
        );
      await withPage(async (page) => {
        await page.goto(pathToFileURL(file).href);
        const seen = await page.evaluate<{
          given: number;
          gated: number;
          zeroWidth: number;
          failed: number;
          crashes: number;
          hist: number;
          width: number;
        }>(`(() => {
        const bars = (v) => [...document.querySelectorAll('svg.timeline[data-variant="' + v + '"] rect.bar.container')];
        const all = [...bars('given'), ...bars('gated')];
        return {
          given: bars('given').length,
          gated: bars('gated').length,
          zeroWidth: all.filter((r) => !(r.getBBox().width > 0)).length,
          failed: document.querySelectorAll('svg.timeline[data-variant="given"] circle.failed').length,
          crashes: document.querySelectorAll('svg.timeline text.exit.crash').length,
          hist: document.querySelectorAll('svg.histogram rect.hist-bar').length,
          width: document.querySelector('svg.timeline').getBoundingClientRect().width,
        };
      })()`);
        expect(page.errors).toEqual([]);
        expect(seen.given).toBe(expectedBars(given0));
        expect(seen.gated).toBe(expectedBars(gated0));
        expect(seen.zeroWidth).toBe(0);
        expect(seen.failed).toBeGreaterThan(0);
        expect(seen.crashes).toBeGreaterThanOrEqual(2);
        expect(seen.hist).toBeGreaterThan(0);
        expect(seen.width).toBeGreaterThan(500);
      });
    },
    60_000,
  );
});

describe("report edge cases", () => {
  it("renders zero runs and a long deploy without failing", () => {
    const zero = simulate(given, seedScenario(), { runs: 0, seed: 1 });
    expect(renderSummary(zero)).toMatch(/Simulated 0 deploys/);
    expect(renderReport(zero)).toMatch(/<\/html>/);
    const slow = loadScenario(
      "containers:\n  app: { bootSeconds: 200 }\nlimits: { maxTaskLaunches: 60 }\n",
      "slow.yaml",
    );
    const r = simulate(given, slow, { runs: 1, seed: 1 });
    expect(r.variants[0]?.trace?.tasks.length).toBeGreaterThan(40);
    const html = renderReport(r);
    expect(html).toMatch(/more tasks not drawn/);
    expect(html.match(/class="task-label"/g)?.length).toBe(40);
  });
});
