/**
 * How deeply JSON text nests, found by one iterative pass over the text, before any recursive parser sees
 * it. `jsonc-parser` descends one call per `[` or `{` (its `parseValue` → `parseArray` → `parseValue` …),
 * and so does everything that walks its tree: a 4.9 KB file of `[` overflows the stack. Callers refuse a
 * text deeper than the limit with a located error instead.
 *
 * The pass counts brackets the way jsonc-parser's scanner tokenises, so that its count is never below the
 * parser's depth: strings end at an unescaped `"` or at a line break (a backslash escapes whatever follows
 * it, even a quote or a line break), `//` and block comments are skipped (the parser skips them too, after
 * reporting them), and a closing bracket of the wrong kind does not close anything (the parser skips it
 * as an error). Error recovery can only make the parser shallower than this count.
 */

/**
 * The deepest nesting accepted, in JSON and YAML alike: 64 arrays and objects (sequences and mappings). Real ECS documents stay far below it: describe-tasks
 * output nests about 7 levels, a task definition about 6, a CloudFormation template about 10, and
 * intrinsic functions nested in one another (`Fn::Join` of `Fn::Select` of `Fn::Split` …) add about two
 * levels each. 64 leaves room for all of that while keeping every recursive reader of the text a few
 * hundred stack frames deep at most, far from the few thousand that overflow V8's default stack.
 */
// The figures are measured on examples/seed/incident/describe-tasks.json (7), examples/seed/before.json (6)
// and test/fixtures/taskdef/template.json (10), the deepest JSON file in the repository.
export const MAX_NESTING_DEPTH = 64;

interface DepthExcess {
  /** 0-based offset of the `[` or `{` that opens one level more than the limit allows. */
  readonly offset: number;
  readonly limit: number;
}

const QUOTE = 34;
const BACKSLASH = 92;
const SLASH = 47;
const STAR = 42;
const LF = 10;
const CR = 13;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Inside a string, only these end it or escape the next character. */
const IN_STRING = /["\\\n\r]/g;

/** Index just after the string whose opening quote is at `quote`; the text's length if it never ends. */
function afterString(text: string, quote: number): number {
  // Strings are where long runs of text are: the regex engine skips them natively.
  IN_STRING.lastIndex = quote + 1;
  while (IN_STRING.test(text)) {
    const at = IN_STRING.lastIndex - 1;
    const c = text.charCodeAt(at);
    // A line break ends the string without belonging to it.
    if (c !== BACKSLASH) return c === QUOTE ? at + 1 : at;
    // The escaped character, whatever it is, belongs to the string.
    IN_STRING.lastIndex = at + 2;
  }
  return text.length;
}

/** Index just after the comment starting at `slash`, or `slash + 1` when the slash starts none. */
function afterComment(text: string, slash: number): number {
  const next = text.charCodeAt(slash + 1);
  if (next === SLASH) {
    let i = slash + 2;
    while (i < text.length && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
    return i;
  }
  if (next === STAR) {
    const end = text.indexOf("*/", slash + 2);
    return end < 0 ? text.length : end + 2;
  }
  return slash + 1;
}

/**
 * Where `text` first nests deeper than `limit` arrays and objects, or `undefined` if it never does.
 * Linear in the text's length; memory bounded by `limit`. Says nothing about whether the text is valid JSON.
 */
export function findExcessiveNesting(
  text: string,
  limit: number = MAX_NESTING_DEPTH,
): DepthExcess | undefined {
  // The open brackets, innermost last; never more than `limit` of them.
  const open: number[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = afterString(text, i);
      continue;
    }
    if (c === SLASH) {
      i = afterComment(text, i);
      continue;
    }
    if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (open.length >= limit) return { offset: i, limit };
      open.push(c);
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      // `]` closes only a `[`, `}` only a `{`.
      if (open[open.length - 1] === (c === CLOSE_BRACKET ? OPEN_BRACKET : OPEN_BRACE)) open.pop();
    }
    i++;
  }
  return undefined;
}

/** A line that ends with a block scalar header (`key: |`, `- >-`, `key: |2 # text`). */
const BLOCK_SCALAR = /(?:^|[\s:])[|>][-+0-9]*[ \t]*(?:#.*)?\r?$/;
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
