/**
 * Name analysis for dual-interface: splitting identifiers into words and reading the
 * verb / role stem / plumbing suffix out of a member name or a type name.
 */

/** Splits camelCase, PascalCase, snake_case and SCREAMING_CASE names into words (acronyms kept whole). */
export function splitWords(name: string): string[] {
  return name
    .replace(/^[#_$]+/, "")
    .split(/[_$\-\s]+/)
    .flatMap((part) => part.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []);
}

/** The words of one role: `stem` (the role, e.g. Web Socket) and its plumbing `suffix` (e.g. Manager). */
export interface RoleWords {
  stem: string[];
  suffix: string;
}

/**
 * A member's role: verb (methods only, else ""), stem and suffix. `typeStem` is set when the stem is
 * the one of the member's type name (read from it, or equal to it): such a stem may carry a
 * qualifier prefix that the sibling's lacks (`AgentWebSocketBridge` vs `WebSocketManager`).
 */
export interface MemberRole extends RoleWords {
  verb: string;
  typeStem: boolean;
}

/** Lower-cased concatenation of words: `websocket` and `WebSocket` compare equal. */
export function foldWords(words: readonly string[]): string {
  return words.join("").toLowerCase();
}

/** Splits `words` into stem + suffix when the last word is a plumbing suffix. */
export function readSuffix(words: readonly string[], suffixes: ReadonlySet<string>): RoleWords | undefined {
  const last = words.at(-1);
  if (last === undefined || !suffixes.has(last.toLowerCase())) return undefined;
  return { stem: words.slice(0, -1), suffix: last.toLowerCase() };
}

/**
 * True when `longer` is `shorter` with optional qualifier words in front, compared case-insensitively
 * and across word boundaries (`AgentWebSocket` ends with `websocket`).
 */
export function endsWithStem(longer: readonly string[], shorter: readonly string[]): boolean {
  const target = foldWords(shorter);
  if (target === "") return false;
  for (let k = 0; k < longer.length; k++) {
    if (foldWords(longer.slice(k)) === target) return true;
  }
  return false;
}

/**
 * Reads the role of a member. Methods take their first word as verb (a one-word method has none);
 * fields and accessors have no verb. The name supplies stem and suffix; when the name is only a
 * verb and a suffix (`setManager(m: WebSocketManager)`, a field `bridge: AgentWebSocketBridge`),
 * the stem comes from the plumbing type's name. A name without a plumbing suffix has no role.
 */
export function readMemberRole(
  memberName: string,
  isMethod: boolean,
  typeName: string | undefined,
  suffixes: ReadonlySet<string>,
): MemberRole | undefined {
  const words = splitWords(memberName);
  const verb = isMethod && words.length > 1 ? words[0]!.toLowerCase() : "";
  const fromName = readSuffix(verb ? words.slice(1) : words, suffixes);
  if (!fromName) return undefined;
  const fromType = typeName === undefined ? undefined : readSuffix(splitWords(typeName), suffixes);
  if (fromName.stem.length > 0) {
    const mirrorsType = fromType !== undefined && foldWords(fromType.stem) === foldWords(fromName.stem);
    return { verb, ...fromName, typeStem: mirrorsType };
  }
  if (!fromType || fromType.stem.length === 0) return undefined;
  return { verb, stem: fromType.stem, suffix: fromName.suffix, typeStem: true };
}

/**
 * Same role: same verb and the same stem. Stems must be equal, except that a stem that is its type
 * name's may carry qualifier words in front (`AgentWebSocketBridge` vs `WebSocketManager`).
 */
export function isSameRole(a: MemberRole, b: MemberRole): boolean {
  if (a.verb !== b.verb) return false;
  if (foldWords(a.stem) === foldWords(b.stem)) return true;
  if (a.typeStem && endsWithStem(a.stem, b.stem)) return true;
  return b.typeStem && endsWithStem(b.stem, a.stem);
}
