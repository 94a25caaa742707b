/**
 * Set an own, enumerable property, whatever the key. Keys come from the user's files, which may be hostile:
 * `out[key] = value` with the key `__proto__` would not add a property at all but replace the object's prototype
 * (the key vanishes from the data, and the file chooses what every missing lookup on the object falls back to).
 * `JSON.parse` keeps `__proto__` as an own property; so does this, so every reader builds the same data from the
 * same text. Only that one key needs the slow path: the other names on `Object.prototype` are plain writable
 * data properties, which assignment shadows with an own property.
 */
export function put(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[key] = value;
  }
}
