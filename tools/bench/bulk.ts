/**
 * Section 3: large sessions through the runner. An Exchange session with one bulk addition request
 * naming many mailboxes, and a standard session with many artifacts (one create, then PATCHes of 50),
 * each activated and waited for in its own stack.
 */
import type { Emulator } from "../emulator";
import { bulkMinimum, createMinimum } from "./minimums";
import type { BulkRow } from "./model";
import { countRequests, type RequestCounts } from "./requests";
import { BenchStack, exportedSessions, failureLines, type PlannedResource } from "./stack";
import { KIND_NAMES, standardArtifacts, UnitPicker } from "./tenant";

/** The emulator, the installed package and the sizes. */
export interface BulkContext {
  readonly emulator: Emulator;
  readonly nodeModulesDir: string;
  readonly pageSize: number;
  readonly bulkMailboxes: number;
  readonly largeSessionArtifacts: number;
  readonly readPeak: (stack: BenchStack) => number | undefined;
}

async function measureOne(
  context: BulkContext,
  label: string,
  planned: PlannedResource,
  artifacts: number,
  minimum: RequestCounts,
): Promise<{ row: BulkRow; peakInBytes?: number }> {
  const stack = new BenchStack(context.emulator, context.nodeModulesDir, "bench-bulk");
  try {
    const measured = await stack.up([planned]);
    const session = exportedSessions(measured.result)[planned.name];
    const restoreInMs =
      Date.parse(session?.completedDateTime ?? "") - Date.parse(session?.lastModifiedDateTime ?? "");
    const row: BulkRow = {
      label,
      artifacts,
      requests: countRequests(measured.entries),
      minimum,
      wallInMs: measured.wallInMs,
      restoreInMs: Number.isFinite(restoreInMs) ? restoreInMs : 0,
      stateBytes: stack.stateBytes(),
      failures: failureLines(measured.result),
    };
    const peakInBytes = context.readPeak(stack);
    return { row, ...(peakInBytes === undefined ? {} : { peakInBytes }) };
  } finally {
    await stack.close();
  }
}

/** Runs the large sessions, one after the other. */
export async function measureBulk(context: BulkContext): Promise<{ rows: BulkRow[]; peaks: Record<string, number> }> {
  const picker = new UnitPicker(context.emulator, "exchange");
  const mailboxes = picker.take(context.bulkMailboxes).map((unit) => unit.name);
  const since = new Date(context.emulator.clock.nowInMs() - 30 * 86_400_000).toISOString();
  const { className, standard } = KIND_NAMES.exchange;
  const rows: BulkRow[] = [];
  const peaks: Record<string, number> = {};
  const bulkArgs = {
    mailboxRestoreArtifactsBulkAdditionRequest: {
      displayName: "bench",
      mailboxes,
      protectionTimePeriod: { startDateTime: since },
      restorePointPreference: "latest",
      destinationType: "new",
    },
    activate: true,
    waitForCompletion: true,
  };
  // The same restore twice: every artifact in the outputs, then only the failed ones.
  for (const [suffix, args] of [
    ["", bulkArgs],
    [`, artifactOutputs "failedOnly"`, { ...bulkArgs, artifactOutputs: "failedOnly" }],
  ] as const) {
    const bulk = await measureOne(
      context,
      `Exchange bulk request, ${mailboxes.length} mailboxes${suffix}`,
      { className, name: "bulk", args },
      mailboxes.length,
      bulkMinimum(mailboxes.length, context.pageSize),
    );
    rows.push(bulk.row);
    if (bulk.peakInBytes !== undefined) peaks[`bulk ${mailboxes.length}${suffix}`] = bulk.peakInBytes;
  }
  const points = picker.take(context.largeSessionArtifacts);
  const large = await measureOne(
    context,
    `Exchange standard session, ${points.length} artifacts`,
    { className, name: "large", args: { [standard]: standardArtifacts(points), activate: true, waitForCompletion: true } },
    points.length,
    createMinimum(points.length, context.pageSize, { activate: true, wait: true }),
  );
  rows.push(large.row);
  if (large.peakInBytes !== undefined) peaks[`standard ${points.length}`] = large.peakInBytes;
  return { rows, peaks };
}
