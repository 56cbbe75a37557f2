import { defineCheck, noOptions } from "./define-check.js";

// Placeholder: replaced by the real check.
export default defineCheck({
  id: "unawaited-factory",
  meta: { description: "TODO", defaultSeverity: "error" },
  messages: { todo: "TODO" },
  options: noOptions,
  check() {},
});
