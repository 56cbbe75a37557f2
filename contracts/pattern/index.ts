export { formatRunPattern, parseRunPattern } from "./parse-run-pattern.js";
export { compileRunPattern, findRunPatternCounterexample, matchRun } from "./match-run-pattern.js";
