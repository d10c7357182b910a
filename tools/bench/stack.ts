/**
 * A benchmark stack: a throwaway Pulumi project (linked to the packed package) whose program declares
 * the resources listed in `plan.json`, driven by the lifecycle runner against one emulator. Each
 * operation is measured the same way: the emulator's request log is cleared before and read after.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { emulatorStackConfig, type Emulator, type RequestLogEntry } from "../emulator";
import { createProject, LifecycleRunner, type OperationResult } from "../runner";

/** One resource of a plan: the SDK class, the resource name and its inputs. */
export interface PlannedResource {
  readonly className: string;
  readonly name: string;
  readonly args: Record<string, unknown>;
}

/** An operation's report together with the requests the emulator saw during it. */
export interface Measured {
  readonly result: OperationResult;
  readonly entries: RequestLogEntry[];
  readonly wallInMs: number;
  /** When the operation started (ms since the epoch). */
  readonly startedAtInMs: number;
}

/** The stack output with the program's own timestamps; not a session. */
const TIMELINE_OUTPUT = "benchProgramTimeline";

/**
 * The program: every planned resource, exporting what the benchmark reads back, and when it started
 * (its Node process and `@pulumi/pulumi` loaded), had loaded the package and had declared the resources.
 */
const PROGRAM = `"use strict";
const startedAt = Date.now();
const fs = require("fs");
const path = require("path");
const m365 = require("pulumi-m365-backup");
const packageLoadedAt = Date.now();
const plan = JSON.parse(fs.readFileSync(path.join(__dirname, "plan.json"), "utf8"));
for (const planned of plan.resources) {
  const session = new m365[planned.className](planned.name, planned.args);
  exports[planned.name] = {
    id: session.id,
    status: session.status,
    lastModifiedDateTime: session.lastModifiedDateTime,
    completedDateTime: session.completedDateTime,
    count: session.restoreSessionArtifactCount,
  };
}
exports.${TIMELINE_OUTPUT} = { startedAt, packageLoadedAt, declaredAt: Date.now() };
`;

/** The program's timestamps (ms since the epoch), as {@link PROGRAM} exports them. */
export interface ProgramTimeline {
  readonly startedAt: number;
  readonly packageLoadedAt: number;
  readonly declaredAt: number;
}

/** What the program exports per resource. */
export interface ExportedSession {
  readonly id: string;
  readonly status: string;
  readonly lastModifiedDateTime: string | null;
  readonly completedDateTime: string | null;
  readonly count: { total: number; completed: number; failed: number; inProgress: number };
}

/** One benchmark stack: a project, its plan and a lifecycle runner against one emulator. */
export class BenchStack {
  readonly runner: LifecycleRunner;
  readonly projectDir: string;

  constructor(
    readonly emulator: Emulator,
    nodeModulesDir: string,
    name: string,
    parallel?: number,
  ) {
    this.projectDir = createProject({ nodeModulesDir, name, program: "index.js", source: PROGRAM });
    this.runner = new LifecycleRunner({
      projectDir: this.projectDir,
      config: emulatorStackConfig(emulator),
      env: { NODE_EXTRA_CA_CERTS: emulator.caCertPath },
      ...(parallel === undefined ? {} : { parallel }),
    });
  }

  /** `up` with these resources (the plan replaces the previous one). */
  up(resources: readonly PlannedResource[]): Promise<Measured> {
    fs.writeFileSync(path.join(this.projectDir, "plan.json"), JSON.stringify({ resources }));
    return this.measure(() => this.runner.up({ allowErrors: true }));
  }

  refresh(): Promise<Measured> {
    return this.measure(() => this.runner.refresh({ allowErrors: true }));
  }

  destroy(): Promise<Measured> {
    return this.measure(() => this.runner.destroy({ allowErrors: true }));
  }

  /** Bytes of the checkpoint file (the stack's state). */
  stateBytes(): number {
    return fs.existsSync(this.runner.checkpointPath) ? fs.statSync(this.runner.checkpointPath).size : 0;
  }

  close(): Promise<void> {
    return this.runner.close();
  }

  private async measure(operation: () => Promise<OperationResult>): Promise<Measured> {
    this.emulator.requestLog.clear();
    const startedAtInMs = Date.now();
    const result = await operation();
    const wallInMs = Date.now() - startedAtInMs;
    return { result, entries: this.emulator.requestLog.entries(), wallInMs, startedAtInMs };
  }
}

/** The exported sessions of an `up`, by resource name. */
export function exportedSessions(result: OperationResult): Record<string, ExportedSession> {
  const { [TIMELINE_OUTPUT]: _timeline, ...sessions } = result.outputs;
  return sessions as Record<string, ExportedSession>;
}

/** When the program of an `up` started, loaded the package and declared its resources, if it got that far. */
export function programTimeline(result: OperationResult): ProgramTimeline | undefined {
  const timeline = result.outputs[TIMELINE_OUTPUT] as Partial<ProgramTimeline> | undefined;
  return typeof timeline?.startedAt === "number" &&
    typeof timeline.packageLoadedAt === "number" &&
    typeof timeline.declaredAt === "number"
    ? (timeline as ProgramTimeline)
    : undefined;
}

/** The failures of an operation as one line each, for the console. */
export function failureLines(result: OperationResult): string[] {
  return result.errors.map((error) => `${error.urn ?? "program"}: ${error.operation}: ${error.message.split("\n")[0] ?? ""}`);
}
