/**
 * Sections 2, 4 and 5: a drill at scale through the lifecycle runner. Sessions of three kinds in turn,
 * each created with its artifacts, activated and waited for (`waitForCompletion`), in one `up` with the
 * runner's default parallelism (the engine's `--parallel`).
 */
import type { Emulator } from "../emulator";
import type { RestoreSessionKind } from "../../provider/model";
import { DEFAULT_PARALLEL } from "../runner";
import { analyzeDrill, type FinalSession } from "./drillAnalysis";
import type { DrillFigures } from "./model";
import { BenchStack, exportedSessions, failureLines, programTimeline, type PlannedResource } from "./stack";
import { KIND_NAMES, KINDS, UnitPicker, type UnitPoint } from "./tenant";

/** One session of the drill: its kind, a name, and what it restores. */
export interface PlannedSession {
  readonly kind: RestoreSessionKind;
  readonly name: string;
  readonly points: readonly UnitPoint[];
}

/** `sessions` sessions of `artifacts` units each, the kinds in turn, no unit used twice. */
export function planDrill(emulator: Emulator, sessions: number, artifacts: number): PlannedSession[] {
  const pickers = new Map(KINDS.map((kind) => [kind, new UnitPicker(emulator, kind)]));
  return Array.from({ length: sessions }, (_, index) => {
    const kind = KINDS[index % KINDS.length];
    return {
      kind,
      name: `drill-${String(index + 1).padStart(2, "0")}`,
      points: (pickers.get(kind) as UnitPicker).take(artifacts),
    };
  });
}

function resource(session: PlannedSession): PlannedResource {
  const { className, standard } = KIND_NAMES[session.kind];
  return {
    className,
    name: session.name,
    args: {
      [standard]: session.points.map((point) => ({ restorePoint: { id: point.restorePointId }, destinationType: "new" })),
      activate: true,
      waitForCompletion: true,
    },
  };
}

/** The emulator, the installed package, a label and how to measure. */
export interface DrillContext {
  readonly emulator: Emulator;
  readonly nodeModulesDir: string;
  readonly label: string;
  readonly latencyInMs: number;
  readonly pageSize: number;
  readonly retryAfterInMs: number;
  readonly artifactsPerSession: number;
  /** The runner's `parallel`; undefined for its default. */
  readonly parallel?: number;
  readonly readPeak: (stack: BenchStack) => number | undefined;
}

/** Runs the drill once through the runner and measures it. */
export async function runProviderDrill(
  context: DrillContext,
  plan: readonly PlannedSession[],
): Promise<{ figures: DrillFigures; peakInBytes?: number; providerSizes: Record<string, number> }> {
  const stack = new BenchStack(context.emulator, context.nodeModulesDir, "bench-drill", context.parallel);
  try {
    const measured = await stack.up(plan.map(resource));
    const exported = exportedSessions(measured.result);
    const sessions: FinalSession[] = plan
      .map((planned) => exported[planned.name])
      .filter((session) => session !== undefined && typeof session.id === "string")
      .map((session) => ({
        id: session.id,
        status: session.status,
        lastModifiedDateTime: session.lastModifiedDateTime,
        completedDateTime: session.completedDateTime,
      }));
    let figures = analyzeDrill({
      label: context.label,
      plannedSessions: plan.length,
      artifactsPerSession: context.artifactsPerSession,
      parallel: context.parallel ?? DEFAULT_PARALLEL,
      entries: measured.entries,
      sessions,
      sessionsInEmulator: context.emulator.service.sessionIds().length,
      wallInMs: measured.wallInMs,
      startedAtInMs: measured.startedAtInMs,
      latencyInMs: context.latencyInMs,
      pageSize: context.pageSize,
      retryAfterInMs: context.retryAfterInMs,
      failures: failureLines(measured.result),
    });
    const timeline = programTimeline(measured.result);
    if (timeline !== undefined) {
      const toProgramInMs = timeline.startedAt - measured.startedAtInMs;
      figures = {
        ...figures,
        startupParts: {
          toProgramInMs,
          packageLoadInMs: timeline.packageLoadedAt - timeline.startedAt,
          declareInMs: timeline.declaredAt - timeline.packageLoadedAt,
          toFirstRequestInMs: measured.startedAtInMs + figures.startupInMs - timeline.declaredAt,
        },
      };
    }
    const peakInBytes = context.readPeak(stack);
    return { figures, providerSizes: measured.result.providerSizes, ...(peakInBytes === undefined ? {} : { peakInBytes }) };
  } finally {
    await stack.close();
  }
}
