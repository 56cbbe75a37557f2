import { defineCheck, noOptions } from "./define-check.js";

// Placeholder: replaced by the real check.
export default defineCheck({
  id: "contract-event",
  meta: { description: "TODO", defaultSeverity: "error" },
  messages: { todo: "TODO" },
  options: noOptions,
  check() {},
});
