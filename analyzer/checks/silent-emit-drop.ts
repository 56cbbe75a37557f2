import { defineCheck, noOptions } from "./define-check.js";

// Placeholder: replaced by the real check.
export default defineCheck({
  id: "silent-emit-drop",
  meta: { description: "TODO", defaultSeverity: "warn" },
  messages: { todo: "TODO" },
  options: noOptions,
  check() {},
});
