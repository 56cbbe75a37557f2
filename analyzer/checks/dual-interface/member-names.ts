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
 * Where the role was read from is kept apart, so that two members only count as one role when the
 * same source says so: `nameStem` (the words of the member's own name between verb and suffix, maybe
 * none) and `typeWords` (the stem of its plumbing type's name when that name ends in a plumbing
 * suffix, `[]` for a bare `Channel`; undefined when the type's name says nothing).
 */
export interface MemberRole extends RoleWords {
  verb: string;
  typeStem: boolean;
  nameStem: string[];
  typeWords: string[] | undefined;
  /** The name carries a migration marker in front of its stem (`legacyWebSocketManager`). */
  marked: boolean;
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
 * Words that mark the old side of a migration when they lead a member's role stem. Not `old`, `new`
 * or `next`: those are as often the domain's own adjectives (`newMessageHandler`, `nextPageProvider`).
 */
const MIGRATION_MARKERS = new Set(["legacy", "deprecated"]);

/** The words of a type name without the `I` of the interface naming convention (`IWebSocketManager`). */
function typeNameWords(typeName: string): string[] {
  const words = splitWords(typeName);
  return words.length > 1 && words[0] === "I" && /^I[A-Z]/.test(typeName) ? words.slice(1) : words;
}

/**
 * Reads the role of a member. Methods take their first word as verb (a one-word method has none);
 * fields and accessors have no verb. The name supplies stem and suffix; when the name is only a
 * verb and a suffix (`setManager(m: WebSocketManager)`, a field `bridge: AgentWebSocketBridge`),
 * the stem comes from the plumbing type's name. A name without a plumbing suffix has no role.
 * A leading migration marker (`legacy`, `deprecated`) is not part of the stem: it says which side of
 * a migration the member is.
 */
export function readMemberRole(memberName: string, isMethod: boolean, typeName: string | undefined, suffixes: ReadonlySet<string>): MemberRole | undefined {
  const words = splitWords(memberName);
  const verb = isMethod && words.length > 1 ? words[0]!.toLowerCase() : "";
  const fromName = readSuffix(verb ? words.slice(1) : words, suffixes);
  if (!fromName) return undefined;
  const marked = fromName.stem.length > 0 && MIGRATION_MARKERS.has(fromName.stem[0]!.toLowerCase());
  const nameStem = marked ? fromName.stem.slice(1) : fromName.stem;
  const fromType = typeName === undefined ? undefined : readSuffix(typeNameWords(typeName), suffixes);
  const typeWords = fromType?.stem;
  if (nameStem.length > 0) {
    const mirrorsType = typeWords !== undefined && foldWords(typeWords) === foldWords(nameStem);
    return { verb, stem: nameStem, suffix: fromName.suffix, typeStem: mirrorsType, nameStem, typeWords, marked };
  }
  if (!typeWords || typeWords.length === 0) return undefined;
  return { verb, stem: typeWords, suffix: fromName.suffix, typeStem: true, nameStem, typeWords, marked };
}

/** Two stems of one role: equal, or one qualified in front when `qualifiable` says it may be (`AgentWebSocket` / `WebSocket`). */
function sameStem(a: readonly string[], b: readonly string[], aQualifiable: boolean, bQualifiable: boolean): boolean {
  if (a.length === 0 || b.length === 0) return false;
  return foldWords(a) === foldWords(b) || (aQualifiable && endsWithStem(a, b)) || (bQualifiable && endsWithStem(b, a));
}

/**
 * Same role, as the names alone say it: same verb and the same stem, wherever each stem was read
 * from. Stems must be equal, except that a stem that is its type name's may carry qualifier words in
 * front (`AgentWebSocketBridge` vs `WebSocketManager`). This is the loose test: it groups pairs of
 * one role, and it decides a pair when a migration marker says the two are old and new.
 */
export function isSameRole(a: MemberRole, b: MemberRole): boolean {
  if (a.verb !== b.verb) return false;
  return sameStem(a.stem, b.stem, a.typeStem, b.typeStem);
}

/** What one source (the member names, or the type names) says of two members: nothing (a side has no stem), same role, or not. */
function compareSource(
  a: readonly string[] | undefined,
  b: readonly string[] | undefined,
  aQualifiable: boolean,
  bQualifiable: boolean,
): "none" | "same" | "different" {
  if (!a || !b || a.length === 0 || b.length === 0) return "none";
  return sameStem(a, b, aQualifiable, bQualifiable) ? "same" : "different";
}

/**
 * Same role, with evidence from one source on both sides and no source against it: the two member
 * names carry the same stem (`websocketManager` / `websocketBridge`) or the two type names do
 * (`setManager(m: WebSocketManager)` / `setBridge(b: AgentWebSocketBridge)`), and neither the names
 * nor the types name two different roles. A stem one side takes from its type name and the other
 * from its member name (`connector: SubchannelConnector` / `subchannelChannel: Channel`) is a shared
 * word, not a shared role; so are member names that share the domain noun they belong to while their
 * types say they carry different things (`sessionEmitter: EventEmitter` / `sessionChannel:
 * SessionChannel`).
 */
export function isSameRoleByOneSource(a: MemberRole, b: MemberRole): boolean {
  if (a.verb !== b.verb) return false;
  const names = compareSource(a.nameStem, b.nameStem, a.typeStem, b.typeStem);
  const types = compareSource(a.typeWords, b.typeWords, true, true);
  return names !== "different" && types !== "different" && (names === "same" || types === "same");
}
