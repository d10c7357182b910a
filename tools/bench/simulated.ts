/**
 * Restores of hours, measured in minutes: the emulator's clock is moved on instead of waited for.
 *
 * Both sides run in this process against their own emulator, with every wait handed to a
 * {@link VirtualTime}: the provider's own create flow (`createSession`, the function the provider
 * host calls, with a `Timing` whose `sleep` is virtual) and the plain script's loop
 * (`runDrillScript` with a virtual `wait`). Requests still go over HTTPS to the emulator; only the
 * waits between them are skipped. The request log's wall-clock times are mapped back onto the
 * emulator's clock, so the same analysis as the real drills applies.
 */
import { emulatorStackConfig, type Emulator, type RequestLogEntry } from "../emulator";
import { createGraphClient } from "../../provider/graph";
import type { ProviderLog, SessionContext } from "../../provider/resources/session/context";
import { createSession } from "../../provider/resources/create/create";
import { checkSession } from "../../provider/resources/check/check";
import { KIND_SCHEMAS, type SessionInputs } from "../../provider/model";
import { resolveSettings } from "../../provider/settings";
import { graphClient, runDrillScript } from "./alternative";
import type { PlannedSession } from "./drill";
import type { FinalSession } from "./drillAnalysis";
import { KIND_NAMES } from "./tenant";

/**
 * Virtual time over an emulator clock for a fixed set of tasks: when every task still running is
 * asleep, the clock jumps to the earliest wake-up. A task that is sending a request is awake, so no
 * jump happens while a request is in flight and the request log maps exactly onto the clock.
 */
export class VirtualTime {
  private running = 0;
  private readonly sleepers: { atInMs: number; wake: () => void }[] = [];
  /** Each jump: the wall time it happened at and the clock's total offset after it. */
  private readonly jumps: { wallInMs: number; offsetInMs: number }[] = [];
  private offsetInMs = 0;

  constructor(private readonly emulator: Emulator) {}

  now(): number {
    return this.emulator.clock.nowInMs();
  }

  /** Runs `work` as one task: while it runs, time only jumps when it sleeps. */
  async task<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.jumpIfAllAsleep();
    }
  }

  sleep(delayInMs: number): Promise<void> {
    return new Promise((resolve) => {
      this.sleepers.push({ atInMs: this.now() + Math.max(0, delayInMs), wake: resolve });
      this.jumpIfAllAsleep();
    });
  }

  /** An entry's arrival on the emulator clock. */
  clockTimeOf(entry: RequestLogEntry): number {
    const wallInMs = Date.parse(entry.time);
    let offset = 0;
    for (const jump of this.jumps) {
      if (jump.wallInMs <= wallInMs) offset = jump.offsetInMs;
    }
    return wallInMs + offset;
  }

  private jumpIfAllAsleep(): void {
    if (this.running === 0 || this.sleepers.length < this.running) return;
    this.sleepers.sort((a, b) => a.atInMs - b.atInMs);
    const first = this.sleepers[0];
    if (first === undefined) return;
    const ahead = first.atInMs - this.now();
    if (ahead > 0) {
      this.emulator.clock.advance(ahead);
      this.offsetInMs += ahead;
      this.jumps.push({ wallInMs: Date.now(), offsetInMs: this.offsetInMs });
    }
    const due = this.sleepers.filter((sleeper) => sleeper.atInMs <= this.now());
    this.sleepers.splice(0, due.length);
    for (const sleeper of due) sleeper.wake();
  }
}

/** What a simulated run hands to the drill analysis. */
export interface SimulatedRun {
  readonly entries: RequestLogEntry[];
  readonly sessions: FinalSession[];
  readonly startedAtInMs: number;
  readonly wallInMs: number;
  readonly failures: string[];
}

const QUIET: ProviderLog = {
  info: () => Promise.resolve(),
  warn: () => Promise.resolve(),
  debug: () => Promise.resolve(),
};

function finish(
  emulator: Emulator,
  time: VirtualTime,
  startedAtInMs: number,
  sessions: FinalSession[],
  failures: string[],
): SimulatedRun {
  const entries = emulator.requestLog
    .entries()
    .map((entry) => ({ ...entry, time: new Date(time.clockTimeOf(entry)).toISOString() }));
  return { entries, sessions, startedAtInMs, wallInMs: time.now() - startedAtInMs, failures };
}

/** The provider's create flow for every planned session at once (as `--parallel` ≥ sessions runs them). */
export async function simulateProvider(emulator: Emulator, plan: readonly PlannedSession[]): Promise<SimulatedRun> {
  const time = new VirtualTime(emulator);
  const config = emulatorStackConfig(emulator);
  const plain: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    plain[key.replace(/^m365-backup:/, "")] = typeof value === "string" ? value : value.value;
  }
  emulator.requestLog.clear();
  const startedAtInMs = time.now();
  const failures: string[] = [];
  const sessions = await Promise.all(
    plan.map((planned) =>
      time.task(async (): Promise<FinalSession | undefined> => {
        const schema = KIND_SCHEMAS[planned.kind];
        const settings = resolveSettings((key) => plain[key], {});
        const checked = checkSession(schema, settings.apiVersion, {}, {
          [KIND_NAMES[planned.kind].standard]: planned.points.map((point) => ({
            restorePoint: { id: point.restorePointId },
            destinationType: "new",
          })),
          activate: true,
          waitForCompletion: true,
          completionTimeoutMinutes: 24 * 60,
        });
        if (checked.failures.length > 0) throw new Error(checked.failures.map((f) => f.reason).join("; "));
        const ctx: SessionContext = {
          schema,
          settings,
          client: createGraphClient(settings),
          log: QUIET,
          timing: {
            nowInMs: () => time.now(),
            sleep: (delayInMs) => time.sleep(delayInMs),
            initialPollIntervalInMs: 5_000,
            maxPollIntervalInMs: 15_000,
          },
        };
        try {
          const created = await createSession(ctx, checked.inputs as unknown as SessionInputs, "provider");
          const outs = created.outs as unknown as FinalSession;
          return {
            id: created.id,
            status: outs.status,
            lastModifiedDateTime: outs.lastModifiedDateTime,
            completedDateTime: outs.completedDateTime,
          };
        } catch (error) {
          failures.push(`${planned.name}: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        }
      }),
    ),
  );
  const done = sessions.filter((session): session is FinalSession => session !== undefined);
  return finish(emulator, time, startedAtInMs, done, failures);
}

/** The plain script's drill with its loop's waits on the emulator clock. */
export async function simulateScript(
  emulator: Emulator,
  plan: readonly PlannedSession[],
  pollInMs: number,
): Promise<SimulatedRun> {
  const time = new VirtualTime(emulator);
  const graph = graphClient({
    AZURE_TENANT_ID: emulator.tenantId,
    AZURE_CLIENT_ID: emulator.clientId,
    AZURE_CLIENT_SECRET: emulator.clientSecret,
    AZURE_AUTHORITY_HOST: emulator.authorityHost,
    GRAPH_ENDPOINT: emulator.graphEndpoint,
  });
  emulator.requestLog.clear();
  const startedAtInMs = time.now();
  const failures: string[] = [];
  let sessions: FinalSession[] = [];
  try {
    const report = await time.task(() =>
      runDrillScript(
        graph,
        { sessions: plan.map((planned) => ({ ...planned, points: [...planned.points] })) },
        pollInMs,
        (ms) => time.sleep(ms),
        () => undefined,
      ),
    );
    sessions = report.sessions;
    const failed = report.sessions.reduce((sum, session) => sum + session.failedArtifacts, 0);
    if (failed > 0) failures.push(`${failed} artifact(s) failed`);
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  }
  return finish(emulator, time, startedAtInMs, sessions, failures);
}
