/**
 * Lays DOT out with real Graphviz (`@hpcc-js/wasm-graphviz`: Graphviz compiled to WebAssembly, from
 * node_modules, offline) and reads the SVG back: nodes, edges and clusters with their text and the stroke they
 * are drawn with. A DOT syntax error throws, as `dot -Tsvg` would fail.
 */
import { Graphviz } from "@hpcc-js/wasm-graphviz";

export interface SvgShape {
  /** The DOT id (Graphviz's `<title>`); `a->b` for an edge. */
  readonly title: string;
  /** The text lines, entities decoded. */
  readonly texts: readonly string[];
  /** Attributes of the first drawn shape (`polygon`, `path`, `ellipse`): stroke, fill, width, dashes. */
  readonly stroke: string;
  readonly fill: string;
  readonly strokeWidth: number;
  readonly dashArray: string;
}

export interface DotRender {
  readonly svg: string;
  readonly version: string;
  readonly nodes: readonly SvgShape[];
  readonly edges: readonly SvgShape[];
  readonly clusters: readonly SvgShape[];
  readonly ms: number;
}

function decode(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

function attr(tag: string, name: string): string {
  return tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1] ?? "";
}

function shapesOf(svg: string, kind: "node" | "edge" | "cluster"): SvgShape[] {
  const out: SvgShape[] = [];
  for (const m of svg.matchAll(new RegExp(`<g id="[a-z]+\\d+" class="${kind}">([\\s\\S]*?)</g>`, "g"))) {
    const body = m[1] ?? "";
    const shape = body.match(/<(?:polygon|path|ellipse)\s[^>]*>/)?.[0] ?? "";
    out.push({
      title: decode(body.match(/<title>([\s\S]*?)<\/title>/)?.[1] ?? ""),
      texts: [...body.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)].map((t) => decode(t[1] ?? "")),
      stroke: attr(shape, "stroke"),
      fill: attr(shape, "fill"),
      strokeWidth: Number(attr(shape, "stroke-width") || "1"),
      dashArray: attr(shape, "stroke-dasharray"),
    });
  }
  return out;
}

let loaded: Promise<Graphviz> | undefined;

export async function renderDot(source: string): Promise<DotRender> {
  loaded ??= Graphviz.load();
  const graphviz = await loaded;
  const t0 = performance.now();
  const svg = graphviz.dot(source, "svg");
  const ms = performance.now() - t0;
  return {
    svg,
    version: graphviz.version(),
    nodes: shapesOf(svg, "node"),
    edges: shapesOf(svg, "edge"),
    clusters: shapesOf(svg, "cluster"),
    ms,
  };
}
