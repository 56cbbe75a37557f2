/** Reading parsed JSON (and YAML) values by path: the config, the breaks ledger, contracts and their schemas. */

/** A JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The value at `path` inside `root`, or undefined where the path leaves it: a number indexes an
 * array, any segment names an object's own property (`0` names the key "0"; nothing inherited).
 */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === "number") value = value[segment];
    else if (isJsonObject(value) && Object.hasOwn(value, segment)) value = value[segment as string];
    else return undefined;
  }
  return value;
}

/** `["events", "a", "examples", 0]` -> `events.a.examples[0]` (no quoting: the caller's message decides it). */
export function joinPath(path: readonly PropertyKey[]): string {
  return path.map((segment, i) => (typeof segment === "number" ? `[${segment}]` : i === 0 ? String(segment) : `.${String(segment)}`)).join("");
}
