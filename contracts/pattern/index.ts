export {
  formatRunPattern,
  parseRunPattern,
  type ParseRunPatternResult,
  type RunPatternEventRef,
  type RunPatternSyntaxError,
} from "./parse-run-pattern.js";
export {
  compileRunPattern,
  findRunPatternCounterexample,
  matchRun,
  type RunMatcher,
  type RunMatchResult,
  type RunMatchState,
} from "./match-run-pattern.js";
