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
 * The deepest nesting accepted: 64 arrays and objects. Real ECS documents stay far below it: describe-tasks
 * output nests about 7 levels, a task definition about 6, a CloudFormation template about 10, and
 * intrinsic functions nested in one another (`Fn::Join` of `Fn::Select` of `Fn::Split` …) add about two
 * levels each. 64 leaves room for all of that while keeping every recursive reader of the text a few
 * hundred stack frames deep at most, far from the few thousand that overflow V8's default stack.
 */
// The figures are measured on examples/seed/incident/describe-tasks.json (7), examples/seed/before.json (6)
// and test/fixtures/taskdef/template.json (10), the deepest JSON file in the repository.
export const MAX_JSON_DEPTH = 64;

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
export function findExcessiveNesting(text: string, limit: number = MAX_JSON_DEPTH): DepthExcess | undefined {
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
