/**
 * Section 1: requests per operation for each resource kind, against the minimum the API allows.
 * One stack holds a session of each kind per step: create draft, create and activate, create with 120
 * artifacts, a no-change `up`, refresh and destroy. Each operation's Graph requests come from the
 * emulator's log and are attributed to a kind by their path (the typed collection of a create, the
 * session id of everything else); token and discovery requests carry no session, so each kind is given
 * an equal share (every kind makes the same provider calls in each step).
 */
import type { Emulator, RequestLogEntry } from "../emulator";
import type { RestoreSessionKind } from "../../provider/model";
import { createMinimum, destroyMinimum, NO_CHANGE_MINIMUM, refreshMinimum } from "./minimums";
import type { OperationRow } from "./model";
import { countRequests, sessionOf, type RequestCounts } from "./requests";
import { BenchStack, exportedSessions, failureLines, type Measured, type PlannedResource } from "./stack";
import { KIND_NAMES, KINDS, standardArtifacts, UnitPicker } from "./tenant";

/** Artifacts of the small sessions. */
export const SMALL_SESSION = 5;
/** Artifacts of the large draft (one create and two PATCHes). */
export const LARGE_SESSION = 120;

/** What the operations section hands on: its rows, and the `__provider` sizes and host peak it saw. */
export interface OperationsOutcome {
  readonly rows: OperationRow[];
  readonly providerBytes: Record<string, number>;
  readonly hostPeakInBytes?: number;
}

/** The emulator, the installed package and how to measure. */
export interface OperationsContext {
  readonly emulator: Emulator;
  readonly nodeModulesDir: string;
  readonly pageSize: number;
  readonly readPeak: (stack: BenchStack) => number | undefined;
}

type Role = "draft" | "activated" | "large";

/** The three sessions of each kind the steps create. */
function plan(emulator: Emulator): Record<Role, PlannedResource[]> {
  const roles: Record<Role, PlannedResource[]> = { draft: [], activated: [], large: [] };
  for (const kind of KINDS) {
    const { className, standard } = KIND_NAMES[kind];
    const picker = new UnitPicker(emulator, kind);
    const artifacts = (count: number) => ({ [standard]: standardArtifacts(picker.take(count)) });
    roles.draft.push({ className, name: `${kind}-draft`, args: artifacts(SMALL_SESSION) });
    roles.activated.push({ className, name: `${kind}-activated`, args: { ...artifacts(SMALL_SESSION), activate: true } });
    roles.large.push({ className, name: `${kind}-large`, args: artifacts(LARGE_SESSION) });
  }
  return roles;
}

/** Which kind a Graph request belongs to: by session id, else by the typed collection in its path. */
function kindOf(entry: RequestLogEntry, sessionKinds: Map<string, RestoreSessionKind>): RestoreSessionKind | undefined {
  const session = sessionOf(entry);
  if (session !== undefined) {
    return sessionKinds.get(session);
  }
  return KINDS.find((kind) => entry.path.toLowerCase().includes(`/${KIND_NAMES[kind].typedSet.toLowerCase()}`));
}

function countsFor(kind: RestoreSessionKind, measured: Measured, sessionKinds: Map<string, RestoreSessionKind>): RequestCounts {
  const graph = countRequests(measured.entries.filter((entry) => entry.kind === "graph" && kindOf(entry, sessionKinds) === kind));
  const auth = measured.entries.filter((entry) => entry.kind !== "graph").length / KINDS.length;
  return { ...graph, auth, total: graph.total + auth };
}

function rowsOf(
  operation: string,
  measured: Measured,
  minimum: RequestCounts,
  sessionKinds: Map<string, RestoreSessionKind>,
): OperationRow[] {
  return KINDS.map((kind) => {
    const steps = measured.result.steps.filter((step) => step.custom && step.type.endsWith(KIND_NAMES[kind].className));
    return {
      kind: KIND_NAMES[kind].label,
      operation,
      measured: countsFor(kind, measured, sessionKinds),
      minimum,
      wallInMs: measured.wallInMs,
      providerInMs: Math.max(0, ...steps.map((step) => step.durationInMs)),
      failures: failureLines(measured.result).filter((line) => line.includes(KIND_NAMES[kind].className)),
    };
  });
}

/** Remembers the kind of every session an `up` exported. */
function learnKinds(measured: Measured, sessionKinds: Map<string, RestoreSessionKind>): void {
  for (const [name, session] of Object.entries(exportedSessions(measured.result))) {
    const kind = KINDS.find((candidate) => name.startsWith(`${candidate}-`));
    if (kind !== undefined && typeof session?.id === "string") sessionKinds.set(session.id.toLowerCase(), kind);
  }
}

/** Runs section 1: six operations, each on one session of every kind at once. */
export async function measureOperations(context: OperationsContext): Promise<OperationsOutcome> {
  const { draft, activated, large } = plan(context.emulator);
  const { pageSize } = context;
  const stack = new BenchStack(context.emulator, context.nodeModulesDir, "bench-operations");
  const sessionKinds = new Map<string, RestoreSessionKind>();
  const outcome: { rows: OperationRow[]; providerBytes: Record<string, number>; hostPeakInBytes?: number } = {
    rows: [],
    providerBytes: {},
  };
  const steps: [string, () => Promise<Measured>, RequestCounts][] = [
    [`create draft (${SMALL_SESSION} artifacts)`, () => stack.up(draft), createMinimum(SMALL_SESSION, pageSize)],
    [
      `create and activate (${SMALL_SESSION})`,
      () => stack.up([...draft, ...activated]),
      createMinimum(SMALL_SESSION, pageSize, { activate: true }),
    ],
    [`create draft with ${LARGE_SESSION} artifacts`, () => stack.up([...draft, ...activated, ...large]), createMinimum(LARGE_SESSION, pageSize)],
    ["no-change up (3 sessions)", () => stack.up([...draft, ...activated, ...large]), NO_CHANGE_MINIMUM],
    ["refresh (3 sessions, 130 artifacts)", () => stack.refresh(), refreshMinimum([SMALL_SESSION, SMALL_SESSION, LARGE_SESSION], pageSize)],
    ["destroy (2 drafts, 1 activated)", () => stack.destroy(), destroyMinimum(2)],
  ];
  try {
    const rows: OperationRow[][] = [];
    for (const [operation, run, minimum] of steps) {
      const measured = await run();
      learnKinds(measured, sessionKinds);
      rows.push(rowsOf(operation, measured, minimum, sessionKinds));
      Object.assign(outcome.providerBytes, measured.result.providerSizes);
    }
    // Grouped by kind, in the order of the steps.
    outcome.rows = KINDS.flatMap((_, index) => rows.map((stepRows) => stepRows[index]));
    const peak = context.readPeak(stack);
    if (peak !== undefined) outcome.hostPeakInBytes = peak;
  } finally {
    await stack.close();
  }
  return outcome;
}
