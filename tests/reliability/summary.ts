/**
 * Counts per family (faults, interruptions, bad inputs, permissions, secrets, ...), printed once after
 * the whole run by a root `after` hook, whatever files ran.
 */
export type Family =
  | "faults"
  | "interruptions"
  | "active-session cap"
  | "bad inputs"
  | "permissions"
  | "secrets"
  | "audit"
  | "crash points";

const tallies = new Map<Family, { tried: number; passed: number; skipped: number }>();

/** Counts one tried case of `family` and whether it passed. */
export function tally(family: Family, passed: boolean): void {
  const entry = tallies.get(family) ?? { tried: 0, passed: 0, skipped: 0 };
  entry.tried += 1;
  if (passed) entry.passed += 1;
  tallies.set(family, entry);
}

/** Counts one case of `family` that is skipped because it pins a known product defect. */
export function tallySkippedDefect(family: Family): void {
  const entry = tallies.get(family) ?? { tried: 0, passed: 0, skipped: 0 };
  entry.skipped += 1;
  tallies.set(family, entry);
}

/** The summary lines, one per family that ran. */
export function summaryLines(): string[] {
  return [...tallies.entries()].map(
    ([family, { tried, passed, skipped }]) =>
      `reliability ${family}: ${tried} tried, ${passed} passed` +
      (skipped > 0 ? `, ${skipped} skipped (known product defects)` : ""),
  );
}

after(function () {
  const lines = summaryLines();
  if (lines.length > 0) {
    console.log(`\n${lines.map((line) => `  ${line}`).join("\n")}\n`);
  }
});
