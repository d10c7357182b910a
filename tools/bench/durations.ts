/**
 * Section 8: polling against a hand-written loop, restore by restore. For each restore length the
 * same small drill (12 sessions × 5 artifacts, created, activated and waited for) runs three ways,
 * each against its own emulator: the provider through the lifecycle runner, and the plain script
 * polling every 5 s and every 2 s. Restores of seconds and minutes run in real time, the three side by
 * side; the longest is simulated on the emulator's clock (`simulated.ts`), where waits cost nothing
 * and requests are answered without added latency.
 */
import { startEmulator, type Emulator, type EmulatorOptions } from "../emulator";
import { runAlternative } from "./alternativeRun";
import { planDrill, runProviderDrill, type DrillContext, type PlannedSession } from "./drill";
import { analyzeDrill } from "./drillAnalysis";
import type { DrillFigures, DurationRow } from "./model";
import { simulateProvider, simulateScript, type SimulatedRun } from "./simulated";
import { unitsFor } from "./tenant";

/** Sessions of each run (the drill: 12 × 5). */
export const DURATION_SESSIONS = 12;
/** Artifacts per session of each run. */
export const DURATION_ARTIFACTS = 5;

/** The restore lengths of the table; the last is simulated. */
export const DURATIONS: readonly { label: string; sessionMs: number; simulated: boolean }[] = [
  { label: "3 s", sessionMs: 3_000, simulated: false },
  { label: "20 s", sessionMs: 20_000, simulated: false },
  { label: "2 min", sessionMs: 120_000, simulated: false },
  { label: "2 h (simulated)", sessionMs: 2 * 3_600_000, simulated: true },
];

/**
 * The emulator's `restoreMs` for sessions of about `sessionMs`. A session is `activating` for 10 %
 * of restoreMs, then each artifact starts within 20 % and takes 75–125 % of it; the last of five
 * ends at about 1.4 × restoreMs.
 */
export function restoreMsFor(sessionMs: number): number {
  return Math.round(sessionMs / 1.4);
}

/** What every run of the section shares. */
export interface DurationContext {
  readonly nodeModulesDir: string;
  readonly latencyInMs: number;
  readonly pageSize: number;
  readonly readPeak: DrillContext["readPeak"];
  /** Progress lines for the console. */
  readonly progress: (message: string) => void;
}

async function withEmulator<T>(options: EmulatorOptions, work: (emulator: Emulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator(options);
  try {
    return await work(emulator);
  } finally {
    await emulator.close();
  }
}

function analyze(
  label: string,
  run: SimulatedRun,
  emulator: Emulator,
  plan: readonly PlannedSession[],
  pageSize: number,
): DrillFigures {
  return analyzeDrill({
    label,
    plannedSessions: plan.length,
    artifactsPerSession: DURATION_ARTIFACTS,
    entries: run.entries,
    sessions: run.sessions,
    sessionsInEmulator: emulator.service.sessionIds().length,
    wallInMs: run.wallInMs,
    startedAtInMs: run.startedAtInMs,
    latencyInMs: 0,
    pageSize,
    retryAfterInMs: 0,
    failures: run.failures,
  });
}

/** One restore length in real time: the provider and both scripts side by side. */
async function realRow(context: DurationContext, restoreMs: number): Promise<DrillFigures[]> {
  const options: EmulatorOptions = {
    latencyInMs: context.latencyInMs,
    restoreMs,
    pageSize: context.pageSize,
    unitsPerWorkload: unitsFor(DURATION_SESSIONS * DURATION_ARTIFACTS),
  };
  const common = {
    nodeModulesDir: context.nodeModulesDir,
    latencyInMs: context.latencyInMs,
    pageSize: context.pageSize,
    retryAfterInMs: 0,
    artifactsPerSession: DURATION_ARTIFACTS,
    readPeak: context.readPeak,
  };
  const plan = (emulator: Emulator): PlannedSession[] => planDrill(emulator, DURATION_SESSIONS, DURATION_ARTIFACTS);
  const provider = withEmulator(options, async (emulator) => {
    const drill = await runProviderDrill({ ...common, emulator, label: "provider" }, plan(emulator));
    return drill.figures;
  });
  const scripts = [5_000, 2_000].map((pollInMs) =>
    withEmulator(options, (emulator) =>
      runAlternative({ ...common, emulator, label: `script, ${pollInMs / 1000} s loop`, pollInMs }, plan(emulator)),
    ),
  );
  return Promise.all([provider, ...scripts]);
}

/** One restore length on the emulator's clock, the three runs one after another. */
async function simulatedRow(context: DurationContext, restoreMs: number): Promise<DrillFigures[]> {
  const options: EmulatorOptions = {
    latencyInMs: 0,
    restoreMs,
    pageSize: context.pageSize,
    unitsPerWorkload: unitsFor(DURATION_SESSIONS * DURATION_ARTIFACTS),
  };
  const runs: [string, (emulator: Emulator, plan: PlannedSession[]) => Promise<SimulatedRun>][] = [
    ["provider", (emulator, plan) => simulateProvider(emulator, plan)],
    ["script, 5 s loop", (emulator, plan) => simulateScript(emulator, plan, 5_000)],
    ["script, 2 s loop", (emulator, plan) => simulateScript(emulator, plan, 2_000)],
  ];
  const figures: DrillFigures[] = [];
  for (const [label, run] of runs) {
    figures.push(
      await withEmulator(options, async (emulator) => {
        const plan = planDrill(emulator, DURATION_SESSIONS, DURATION_ARTIFACTS);
        return analyze(label, await run(emulator, plan), emulator, plan, context.pageSize);
      }),
    );
  }
  return figures;
}

/** Every restore length of {@link DURATIONS}. */
export async function measureDurations(context: DurationContext): Promise<DurationRow[]> {
  const rows: DurationRow[] = [];
  for (const duration of DURATIONS) {
    context.progress(`durations: restores of ${duration.label}…`);
    const restoreMs = restoreMsFor(duration.sessionMs);
    const [provider, script5, script2] = duration.simulated
      ? await simulatedRow(context, restoreMs)
      : await realRow(context, restoreMs);
    rows.push({
      restore: duration.label,
      restoreMs,
      simulated: duration.simulated,
      provider: provider,
      script5: script5,
      script2: script2,
    });
  }
  return rows;
}
