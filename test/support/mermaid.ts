/**
 * Renders Mermaid text with the real `mermaid` package (its self-contained dist bundle from node_modules, no
 * network) in headless chromium, and reads back what a person would see in the SVG: node labels and classes,
 * edges, edge labels, subgraphs, and whether mermaid drew its error picture instead.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { openPage, type Page } from "./chromium.js";

const require = createRequire(import.meta.url);
/** The IIFE bundle that defines `globalThis.mermaid`. */
export const MERMAID_BUNDLE = require.resolve("mermaid/dist/mermaid.min.js");
export const MERMAID_VERSION = (require("mermaid/package.json") as { version: string }).version;

export interface MermaidNode {
  /** The id mermaid gave the element (`flowchart-<node id>-<n>`). */
  readonly id: string;
  readonly classes: readonly string[];
  /** The label as rendered text, whitespace collapsed. */
  readonly label: string;
  readonly width: number;
  readonly height: number;
  /** The stroke width and dash array the shape is drawn with (computed style). */
  readonly strokeWidth: string;
  readonly dashed: boolean;
  /** Computed stroke and fill colours of the shape, `rgb(…)`. */
  readonly stroke: string;
  readonly fill: string;
}

export interface MermaidEdge {
  /** The id mermaid gave the path (`L_<from>_<to>_<n>`, prefixed with the diagram's id). */
  readonly id: string;
  readonly classes: readonly string[];
  readonly label: string;
  readonly strokeWidth: string;
}

export interface MermaidRender {
  /** The parse or render error mermaid threw, when it did. */
  readonly error?: string;
  readonly svg: string;
  readonly nodes: readonly MermaidNode[];
  /** One per edge: its classes (`edge-pattern-dotted`, `edge-thickness-thick`, …) and its label text. */
  readonly edges: readonly MermaidEdge[];
  readonly clusters: readonly string[];
  /** The whole SVG's text content, for "does mermaid's error picture appear". */
  readonly text: string;
  readonly width: number;
  readonly height: number;
  /** Milliseconds mermaid.render took. */
  readonly ms: number;
}

const READ_BACK = `async (n, source) => {
  const host = document.createElement("div");
  document.body.append(host);
  const t0 = performance.now();
  let svg;
  try {
    ({ svg } = await mermaid.render("flp" + n, source));
  } catch (e) {
    host.remove();
    return { error: String(e && e.message ? e.message : e), svg: "", nodes: [], edges: [], clusters: [], text: "", width: 0, height: 0, ms: 0 };
  }
  const ms = performance.now() - t0;
  host.innerHTML = svg;
  const root = host.querySelector("svg");
  const squash = (s) => (s || "").replace(/\\s+/g, " ").trim();
  const shape = (g) => g.querySelector("rect, polygon, path, circle");
  const nodes = [...root.querySelectorAll("g.node")].map((g) => {
    const b = g.getBBox();
    const s = shape(g);
    const cs = s ? getComputedStyle(s) : null;
    return {
      id: g.id,
      classes: [...g.classList],
      label: squash(g.textContent),
      width: b.width,
      height: b.height,
      strokeWidth: cs ? cs.strokeWidth : "",
      dashed: cs ? cs.strokeDasharray !== "none" && cs.strokeDasharray !== "" : false,
      stroke: cs ? cs.stroke : "",
      fill: cs ? cs.fill : "",
    };
  });
  const labels = new Map([...root.querySelectorAll("g.edgeLabel > g.label[data-id]")].map((l) => [l.dataset.id, squash(l.textContent)]));
  const edges = [...root.querySelectorAll("path.flowchart-link")].map((p) => ({
    id: p.id,
    classes: [...p.classList],
    label: labels.get(p.dataset.id) ?? "",
    strokeWidth: getComputedStyle(p).strokeWidth,
  }));
  const clusters = [...root.querySelectorAll("g.cluster")].map((c) => squash(c.textContent));
  const box = root.getBoundingClientRect();
  const words = root.cloneNode(true);
  for (const style of words.querySelectorAll("style")) style.remove();
  return { svg, nodes, edges, clusters, text: squash(words.textContent), width: box.width, height: box.height, ms };
}`;

export interface MermaidRenderer {
  readonly page: Page;
  render(source: string): Promise<MermaidRender>;
  close(): Promise<void>;
}

/**
 * Opens headless chromium on a local page that loads mermaid's bundle from node_modules, initialised with
 * strict security and no start on load; `render` draws one diagram and reads it back.
 */
export async function openMermaid(): Promise<MermaidRenderer> {
  const dir = mkdtempSync(join(tmpdir(), "flp-mermaid-"));
  const html = join(dir, "mermaid.html");
  writeFileSync(
    html,
    `<!doctype html><html><head><meta charset="utf-8"><script src="${pathToFileURL(MERMAID_BUNDLE).href}"></script></head><body></body></html>`,
  );
  const opened = await openPage().catch((e: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  const close = async () => {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const { page } = opened;
  try {
    await page.goto(pathToFileURL(html).href);
    const loaded = await page.evaluate<string>(
      `typeof mermaid === "undefined" ? "missing" : (mermaid.initialize({ startOnLoad: false, securityLevel: "strict" }), "ok")`,
    );
    if (loaded !== "ok") throw new Error(`mermaid did not load from ${MERMAID_BUNDLE}`);
  } catch (e) {
    await close();
    throw e;
  }
  let n = 0;
  return {
    page,
    close,
    render: (source) => page.evaluate<MermaidRender>(`(${READ_BACK})(${n++}, ${JSON.stringify(source)})`),
  };
}

export async function withMermaid<T>(fn: (renderer: MermaidRenderer) => Promise<T>): Promise<T> {
  const renderer = await openMermaid();
  try {
    return await fn(renderer);
  } finally {
    await renderer.close();
  }
}
