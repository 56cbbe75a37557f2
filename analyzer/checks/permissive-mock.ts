import { defineCheck, noOptions } from "./define-check.js";

// Placeholder: replaced by the real check.
export default defineCheck({
  id: "permissive-mock",
  meta: { description: "TODO", defaultSeverity: "warn" },
  messages: { todo: "TODO" },
  options: noOptions,
  check() {},
});
