// Mocha settings for `npm test` (tools/test.js). Test files named on the command line replace the
// default list: mocha would otherwise run them in addition to every suite
// (`node tools/test.js tests/client/*.test.ts` runs just those).
"use strict";

const namedFiles = process.argv.slice(2).some((arg) => !arg.startsWith("-") && /\.ts$/.test(arg));

module.exports = {
  require: ["ts-node/register/transpile-only"],
  extension: ["ts"],
  spec: namedFiles ? [] : ["tests/**/*.test.ts"],
  timeout: 30000,
  reporter: "spec",
};
