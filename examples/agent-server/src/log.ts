/** Log hygiene: client-chosen text never ends a log line or sends a terminal escape. */

/**
 * Client-chosen text as it goes into a line that is logged: quoted, with every control character
 * escaped (JSON.stringify leaves DEL, the C1 controls such as U+009B, a one-character ANSI escape,
 * and the Unicode line separators as they are).
 */
export function quoteForLog(text: string): string {
  return escapeControls(JSON.stringify(text));
}

/** Every control character (C0, DEL, C1) and line separator as a `\uXXXX` escape: the text stays on one line and sends no terminal escape. */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
