export { formatRunPattern, parseRunPattern } from "./parse-run-pattern.js";
export { compileRunPattern, findRunPatternCounterexample, matchRun } from "../automata/run-matcher.js";
