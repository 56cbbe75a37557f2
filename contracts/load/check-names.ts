import type { ProblemCollector } from "./contract-errors.js";
import { definitionIdentifiers, eventIdentifiers, reservedIdentifiers } from "./identifiers.js";
import { toPascalCase } from "../../common/strings.js";
import type { BundledDefinition } from "./schema-bundle.js";
import type { SourceDocument } from "./source-document.js";

interface Owner {
  kind: "event" | "definition" | "state" | "generated API name";
  name: string;
  report?: () => { file: string; at: { line: number; column: number } };
}

/**
 * Names that would make generated identifiers collide: two events, two shared schemas, or an event and a
 * shared schema that map to the same TypeScript name (`agent_started` and `agent-started` both give
 * `AgentStartedPayload`), or a shared schema named like the contract's generated API (`<Name>Message`).
 * Reported at the later name, in document order.
 */
export function checkNameCollisions(
  source: SourceDocument,
  problems: ProblemCollector,
  input: { contractName: string | undefined; states: readonly string[]; events: readonly string[]; definitions: ReadonlyMap<string, BundledDefinition> },
): void {
  const owners = new Map<string, Owner>();
  if (input.contractName !== undefined) {
    for (const identifier of reservedIdentifiers(input.contractName)) owners.set(identifier, { kind: "generated API name", name: identifier });
  }
  const claim = (identifiers: readonly string[], owner: Owner) => {
    for (const identifier of identifiers) {
      const previous = owners.get(identifier);
      if (previous && !(previous.kind === owner.kind && previous.name === owner.name)) {
        const { file, at } = owner.report!();
        problems.add("name-collision", file, at, {
          kind: owner.kind,
          name: owner.name,
          otherKind: previous.kind,
          other: previous.name,
          identifier: identifier.replace(/^state:/, ""),
        });
        return;
      }
    }
    for (const identifier of identifiers) owners.set(identifier, owner);
  };
  const candidates: { identifiers: string[]; owner: Owner; file: string; at: { line: number; column: number } }[] = [];
  for (const definition of input.definitions.values()) {
    const { doc, path } = definition.origin;
    candidates.push({
      identifiers: definitionIdentifiers(definition.name),
      owner: { kind: "definition", name: definition.name },
      file: doc.file,
      at: doc.entryPosition(path),
    });
  }
  // States only need to differ from each other (docs and generated code name them by their PascalCase).
  for (const state of input.states) {
    candidates.push({
      identifiers: [`state:${toPascalCase(state)}`],
      owner: { kind: "state", name: state },
      file: source.file,
      at: source.entryPosition(["lifecycle", "states", state]),
    });
  }
  for (const event of input.events) {
    candidates.push({
      identifiers: eventIdentifiers(event),
      owner: { kind: "event", name: event },
      file: source.file,
      at: source.entryPosition(["events", event]),
    });
  }
  // The contract's own names in document order, then those from referenced files.
  const rank = (file: string) => (file === source.file ? "" : file);
  candidates.sort((a, b) => (rank(a.file) < rank(b.file) ? -1 : rank(a.file) > rank(b.file) ? 1 : a.at.line - b.at.line || a.at.column - b.at.column));
  for (const candidate of candidates) claim(candidate.identifiers, { ...candidate.owner, report: () => ({ file: candidate.file, at: candidate.at }) });
}
