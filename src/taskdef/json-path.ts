/** How a finding or a diagnosis names a place in a document: a raw path as a JSONPath-like string. */
import type { JsonPath } from "./model.js";

function isIdentifier(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
    if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}

/** `["containerDefinitions", 1, "essential"]` → `$.containerDefinitions[1].essential`. */
export function toJsonPath(path: JsonPath): string {
  let out = "$";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (isIdentifier(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
