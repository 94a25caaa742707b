/** HCL's binary operators on known operands (https://developer.hashicorp.com/terraform/language/expressions/operators). */

export const BINARY = new Set(["*", "/", "%", "+", "-", ">", ">=", "<", "<=", "==", "!=", "&&", "||"]);

/** `l op r`, or `undefined` when the operands do not fit the operator (Terraform would refuse, or convert). */
export function binary(op: string, l: unknown, r: unknown): unknown {
  if (op === "==") return JSON.stringify(l) === JSON.stringify(r);
  if (op === "!=") return JSON.stringify(l) !== JSON.stringify(r);
  if (op === "&&" || op === "||") {
    if (typeof l !== "boolean" || typeof r !== "boolean") return undefined;
    return op === "&&" ? l && r : l || r;
  }
  const a = typeof l === "string" ? Number(l) : l;
  const b = typeof r === "string" ? Number(r) : r;
  if (typeof a !== "number" || typeof b !== "number" || Number.isNaN(a) || Number.isNaN(b)) return undefined;
  switch (op) {
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "%":
      return a % b;
    case "+":
      return a + b;
    case "-":
      return a - b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    default:
      return undefined;
  }
}
