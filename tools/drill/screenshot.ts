/**
 * Photographs a drill report for the README: `node dist/tools/drill/screenshot.js [report.html] [out.png]`
 * (defaults `drill-report/report.html` and `docs/drill-report.png`). Run `npm run drill` first so the
 * picture shows a real run. Needs Debian's `chromium` (or `$CHROMIUM_PATH`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { findChromium, screenshot } from "./chromium";

async function main(argv: readonly string[]): Promise<number> {
  const report = path.resolve(argv[0] ?? path.join("drill-report", "report.html"));
  const output = path.resolve(argv[1] ?? path.join("docs", "drill-report.png"));
  if (!fs.existsSync(report)) {
    console.error(`No report at ${report}: run \`npm run drill\` first, or pass the report's path.`);
    return 1;
  }
  const chromium = findChromium();
  if (chromium === undefined) {
    console.error("Chromium is not installed: `apt-get install -y chromium`, or set CHROMIUM_PATH.");
    return 1;
  }
  await screenshot(chromium, report, output, { widthInPx: 1100, heightInPx: 1500 });
  console.log(
    `Wrote ${path.relative(process.cwd(), output)} (${fs.statSync(output).size} bytes) from ${path.relative(process.cwd(), report)}.`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
