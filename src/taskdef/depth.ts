/**
 * Nesting depth, measured without recursion. The parsers behind the loader recurse once per level (jsonc-parser's
 * `visit`, which finds the position of a JSON syntax error; `yaml`'s composer; our own tree conversion), so a small
 * file of brackets (`'[' * 4937`, 4.9 KB) would overflow the stack. The loader measures depth with these scans
 * first and refuses anything deeper than `MAX_NESTING_DEPTH` with a located error.
 */

/**
 * The deepest nesting the loader reads. A task definition needs about 8 levels (containerDefinitions → container
 * → logConfiguration → secretOptions → entry), a CloudFormation template about 20 with nested `Fn::If` /
 * `Fn::Join`; 128 leaves room for anything generated, and stays far below what the recursive parsers can take.
 */
export const MAX_NESTING_DEPTH = 128;

const QUOTE = 34;
/** A line that ends with a block scalar header (`key: |`, `- >-`, `key: |2 # text`). */
const BLOCK_SCALAR = /(?:^|[\s:])[|>][-+0-9]*[ \t]*(?:#.*)?\r?$/;
const BACKSLASH = 92;

/**
 * The offset of the first `[` or `{` that opens a level deeper than `limit`, or `undefined` when the text stays
 * within it. Strings are skipped, so brackets inside them do not count; the text need not be valid JSON.
 */
export function maxJsonDepth(text: string, limit: number): { offset: number } | undefined {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Jump to the closing quote natively; count the backslashes before a candidate to see if it is escaped.
      let j = i + 1;
      for (;;) {
        const k = text.indexOf('"', j);
        if (k < 0) return undefined;
        let backslashes = 0;
        while (text.charCodeAt(k - 1 - backslashes) === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) {
          i = k;
          break;
        }
        j = k + 1;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > limit) return { offset: i };
    } else if ((c === 93 || c === 125) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

/**
 * The same for YAML, approximately and in one pass: block nesting from indentation (a stack of the open
 * indentation levels, plus one level per `- ` that starts a nested sequence on the same line) added to flow
 * nesting from brackets outside quotes and comments. Block scalars (`|`, `>`) are skipped. It errs on the side
 * of counting too little; the YAML parser's own stack guard stays behind it as a backstop.
 */
export function maxYamlDepth(text: string, limit: number): { offset: number } | undefined {
  const indents: number[] = [];
  let flow = 0;
  /** 0: none; 34: inside "…"; 39: inside '…' (either may span lines). */
  let quote = 0;
  /** Indentation of the line that opened a block scalar; its deeper lines are content. */
  let blockScalar = -1;
  let lineStart = 0;
  const n = text.length;
  while (lineStart <= n) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = n;
    let i = lineStart;
    while (i < lineEnd && text.charCodeAt(i) === 32) i++;
    const indent = i - lineStart;
    const first = text.charCodeAt(i);
    const blank = i >= lineEnd || first === 13 || first === 35; // empty, CR only, or a comment line
    if (blockScalar >= 0 && (blank || indent > blockScalar)) {
      lineStart = lineEnd + 1;
      continue;
    }
    blockScalar = -1;
    if (blank && quote === 0) {
      lineStart = lineEnd + 1;
      continue;
    }
    if (flow === 0 && quote === 0) {
      while (indents.length > 0 && (indents[indents.length - 1] as number) >= indent) indents.pop();
      indents.push(indent);
      // `- - a`: each dash opens one more sequence level on this line.
      while (text.charCodeAt(i) === 45 && (text.charCodeAt(i + 1) === 32 || i + 1 >= lineEnd)) {
        indents.push(i + 2 - lineStart);
        i += 2;
        while (i < lineEnd && text.charCodeAt(i) === 32) i++;
      }
      if (indents.length > limit) return { offset: i };
    }
    for (; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (quote === 34) {
        if (c === BACKSLASH) i++;
        else if (c === QUOTE) quote = 0;
        continue;
      }
      if (quote === 39) {
        if (c === 39) {
          if (text.charCodeAt(i + 1) === 39) i++;
          else quote = 0;
        }
        continue;
      }
      const prev = i === lineStart ? 32 : text.charCodeAt(i - 1);
      const opensScalar =
        prev === 32 || prev === 9 || prev === 91 || prev === 123 || prev === 44 || prev === 58;
      if ((c === QUOTE || c === 39) && opensScalar) {
        quote = c;
      } else if (c === 35 && (prev === 32 || prev === 9)) {
        break;
      } else if (c === 91 || c === 123) {
        flow++;
        if (indents.length + flow > limit) return { offset: i };
      } else if ((c === 93 || c === 125) && flow > 0) {
        flow--;
      }
    }
    // `key: |` / `key: >-` / `- |2`: the lines that follow, indented deeper, are the scalar's text.
    if (quote === 0 && flow === 0 && BLOCK_SCALAR.test(text.slice(lineStart, lineEnd))) blockScalar = indent;
    lineStart = lineEnd + 1;
  }
  return undefined;
}
