import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percent } from "../../src/simulate/format.js";
import {
  loadScenario,
  renderReport,
  renderSummary,
  simulate,
  simulateCompare,
} from "../../src/simulate/index.js";
import { chromiumAvailable, withPage } from "../support/chromium.js";
import { gated, given } from "./fixtures.js";
import { SCREENSHOT, screenshotReport, seedComparison } from "./seed-report.js";

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

describe("headline (issue 17)", () => {
  it("the seed's 1,000-deploy comparison opens with the result and its size, the same in text and HTML", () => {
    const r = seedComparison(1000, 1);
    const sentence =
      "Without the gate, 21.1 % of deploys failed requests (22,201 in 1,000 deploys, up to 7,584 in one); with it, none did; 243 crashing tasks were stopped before registration.";
    const text = renderSummary(r);
    expect(text.split("\n")[0]).toBe(sentence);
    expect(renderReport(r)).toContain(`<p class="headline">${sentence}</p>`);
  });

  it("states each variant's own figures, for any seed", () => {
    for (const seed of [2, 3, 4]) {
      const r = simulateCompare(given, gated, seedScenario(), { runs: 300, seed, trace: false });
      const [g, p] = r.variants;
      if (!g || !p) throw new Error("two variants expected");
      expect(p.requests.failed).toBe(0);
      expect(g.deploysWithFailures).toBeGreaterThan(0);
      const share = ((100 * g.deploysWithFailures) / g.runs).toFixed(1);
      const n = (x: number) => x.toLocaleString("en-US");
      const effect =
        p.gateFailures === p.tasksStoppedBeforeRegistration
          ? `; ${n(p.gateFailures)} crashing tasks were stopped before registration`
          : "";
      expect(renderSummary(r).split("\n")[0]).toBe(
        `Without the gate, ${share} % of deploys failed requests (${n(g.requests.failed)} in 300 deploys, up to ${n(g.failedRequests.max)} in one); with it, none did${effect}.`,
      );
    }
  });

  it("a task that is already gated, compared with itself: the gate's effect is said once", () => {
    const r = simulateCompare(gated, gated, seedScenario(), { runs: 200, seed: 1, trace: false });
    expect(renderSummary(r)).toMatch(
      /^As given, no deploy failed requests; with the gate, none did; in each, \d+ crashing tasks were stopped before registration\.\n/,
    );
  });

  it("one variant, and no failures at all", () => {
    const one = simulate(given, seedScenario(), { runs: 200, seed: 1, trace: false });
    expect(renderSummary(one)).toMatch(
      /^Without the gate, [\d.]+ % of deploys failed requests \([\d,]+ in 200 deploys, up to [\d,]+ in one\)\.\n/,
    );
    const clean = simulate(gated, seedScenario(), { runs: 50, seed: 1, trace: false });
    expect(renderSummary(clean)).toMatch(
      /^With the probe gate, no deploy failed requests; \d+ crashing tasks? (was|were) stopped before registration\.\n/,
    );
  });
});

describe("percentages (issue 17)", () => {
  it("never round a non-zero part to 0 nor a partial whole to 100", () => {
    expect(percent(22_201, 45_005_671)).toBe("0.049 %");
    expect(percent(1, 45_005_671)).toBe("< 0.001 %");
    expect(percent(211, 1000)).toBe("21.1 %");
    expect(percent(999_999, 1_000_000)).toBe("> 99.9 %");
    expect(percent(0, 10)).toBe("0 %");
    expect(percent(10, 10)).toBe("100 %");
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 2 ** 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (whole, f) => {
          const part = Math.min(whole - 1, Math.max(1, Math.floor(f * whole)));
          const text = percent(part, whole);
          expect(text).not.toMatch(/^0(\.0+)? %$/);
          expect(text).not.toMatch(/^100(\.0+)? %$/);
          const shown = Number(text.replace(/[<> %]/g, ""));
          const exact = (100 * part) / whole;
          if (!text.startsWith("<") && !text.startsWith(">"))
            expect(Math.abs(shown - exact)).toBeLessThanOrEqual(Math.max(0.05, exact * 0.05));
        },
      ),
    );
  });

  it("the seed's failed-request share shows its digits in the summary", () => {
    const text = renderSummary(seedComparison(1000, 1));
    expect(text).toMatch(/requests sent \/ failed +45,005,671 \/ 22,201 \(0\.049 %\)/);
  });
});

describe("histograms (issue 17)", () => {
  const r = seedComparison(1000, 1);
  it("failed requests: zero bin apart, 1-2-5 bins up to the worst deploy, the same edges for both variants", () => {
    const [g, p] = r.variants;
    if (!g || !p) throw new Error("two variants expected");
    const hg = g.histograms.failedRequests;
    const hp = p.histograms.failedRequests;
    expect(hg.scale).toBe("log");
    expect(hg.edges).toEqual([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]);
    expect(hp.edges).toEqual(hg.edges);
    expect(hg.zero).toBe(1000 - g.deploysWithFailures);
    expect(hg.counts.reduce((a, b) => a + b, 0)).toBe(g.deploysWithFailures);
    expect(hg.counts.at(-1)).toBeGreaterThan(0); // the 7,584 outlier has a bin of its own
    expect(hp.zero).toBe(1000);
  });
});

describe("the seed report in headless chromium (issue 17)", () => {
  const runBrowser = chromiumAvailable() || process.env.CI !== undefined;
  it.skipIf(!runBrowser)(
    "opens with the headline; the zero bin stands apart; the given variant's failing deploys have visible bars; screenshot",
    async () => {
      const r = seedComparison(1000, 1);
      const [g, p] = r.variants;
      if (!g || !p) throw new Error("two variants expected");
      const dir = mkdtempSync(join(tmpdir(), "flp-seed-report-"));
      const file = join(dir, "report.html");
      const shot = await screenshotReport(r, file, join(dir, "report.png"));
      await withPage(async (page) => {
        await page.goto(pathToFileURL(file).href);
        const seen = await page.evaluate<{
          headline: string;
          headlineBeforeTable: boolean;
          sep: number;
          zero: { series: string; count: number; right: number; height: number }[];
          bins: {
            series: string;
            count: number;
            left: number;
            width: number;
            height: number;
            onTop: boolean;
          }[];
        }>(`(() => {
        const h = document.querySelector("p.headline");
        const table = document.querySelector("table.summary");
        const svg = document.querySelector('svg.histogram[data-scale="log"]');
        const box = (r) => r.getBBox();
        const bars = (sel) => [...svg.querySelectorAll(sel)];
        return {
          headline: h.textContent,
          headlineBeforeTable: !!(h.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING),
          sep: Number(svg.querySelector("line.zero-sep").getAttribute("x1")),
          zero: bars("rect.hist-bar.zero").map((r) => ({ series: r.dataset.series, count: Number(r.dataset.count), right: box(r).x + box(r).width, height: box(r).height })),
          bins: bars("rect.hist-bar:not(.zero)").map((r) => {
            r.scrollIntoView({ block: "center" });
            const c = r.getBoundingClientRect();
            const hit = document.elementFromPoint(c.x + c.width / 2, c.y + c.height / 2);
            return { series: r.dataset.series, count: Number(r.dataset.count), left: box(r).x, width: c.width, height: c.height, onTop: hit === r || hit?.parentElement === r };
          }),
        };
      })()`);
        expect(page.errors).toEqual([]);
        expect(seen.headline).toBe(
          "Without the gate, 21.1 % of deploys failed requests (22,201 in 1,000 deploys, up to 7,584 in one); with it, none did; 243 crashing tasks were stopped before registration.",
        );
        expect(seen.headlineBeforeTable).toBe(true);
        // The zero bin: one bar per variant, left of the dashed separator; every other bin right of it.
        expect(seen.zero.map((z) => [z.series, z.count])).toEqual([
          ["given", 1000 - g.deploysWithFailures],
          ["gated", 1000],
        ]);
        const zeroRight = Math.max(...seen.zero.map((z) => z.right));
        const binsLeft = Math.min(...seen.bins.map((b) => b.left));
        expect(zeroRight).toBeLessThan(seen.sep);
        expect(binsLeft).toBeGreaterThan(seen.sep);
        expect(binsLeft - zeroRight).toBeGreaterThanOrEqual(12);
        // The given variant's failing deploys: bars that add up to them, each big enough to see and on top.
        const failing = seen.bins.filter((b) => b.series === "given");
        expect(failing.reduce((n, b) => n + b.count, 0)).toBe(g.deploysWithFailures);
        expect(failing.find((b) => b.count === 1)).toBeDefined(); // the 7,584 outlier alone in its bin
        for (const b of failing) {
          expect(b.height).toBeGreaterThanOrEqual(2);
          expect(b.width).toBeGreaterThanOrEqual(4);
          expect(b.onTop).toBe(true);
        }
        expect(seen.bins.filter((b) => b.series === "gated")).toEqual([]);
      });
      expect(shot.width).toBeGreaterThan(1000);
      expect(shot.height).toBeGreaterThan(600);
      expect(readFileSync(join(dir, "report.png")).subarray(1, 4).toString()).toBe("PNG");
    },
    60_000,
  );

  it("the screenshot README shows is in docs/, a small PNG", () => {
    const png = readFileSync(SCREENSHOT);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.length).toBeLessThan(200_000);
  });
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
