/** The lifecycle most test contracts need: `open`, which `close` ends in the final state `closed` (top-level YAML, no final newline). */
export const OPEN_CLOSE_LIFECYCLE = `lifecycle:
  initial: open
  states:
    open: { on: { close: closed } }
    closed: { final: true }`;

/**
 * The first nine lines of a test contract named `name` (version 1.0.0, that lifecycle), up to and
 * including `events:`: the events follow, indented by two spaces.
 */
export function contractHead(name: string): string {
  return `covenant: 1\nname: ${name}\nversion: 1.0.0\n${OPEN_CLOSE_LIFECYCLE}\nevents:\n`;
}
