// The same module as typescript.cts (see there), for running covenant from its sources: Vite, which
// runs the tests, does not compile .cts files. The build compiles typescript.cts, not this file.
"use strict";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module on purpose (see typescript.cts)
module.exports = require("typescript");
