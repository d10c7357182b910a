/**
 * Shared pieces of the reliability suite: one installed tarball per process (the runner memoizes it),
 * stacks of that install wired to an emulator, programs written per step, the "does the emulator hold
 * exactly what the checkpoint says" check, and the "is this a clear error" check.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { emulatorStackConfig, type Emulator } from "../../tools/emulator";
import {
  createProject,
  installPackage,
  LifecycleRunner,
  type ConfigValue,
  type InstalledPackage,
  type OperationResult,
} from "../../tools/runner";
import {
  KINDS,
  programSource,
  sessionsInEmulator,
  unitPoints as harnessUnitPoints,
  type Kind,
  type ResourceDecl,
  type UnitPoint,
} from "../lifecycle/harness";

export { KINDS, sessionsInEmulator, type Kind, type ResourceDecl };

/** The provider's first poll interval in these tests (the emulator's restores take tens of ms). */
export const POLL_INTERVAL_MS = "10";

/** The install every reliability test shares (packed and installed once per process). */
export function sharedInstall(): Promise<InstalledPackage> {
  return installPackage();
}

/** Options for {@link RelStack.create}. */
export interface StackOptions {
  /** Replaces the default (read-write client secret) config. */
  config?: Record<string, ConfigValue>;
  /** Extra environment for the provider host and the program. */
  env?: Record<string, string>;
  name?: string;
  /** Registrations processed at once (the runner's default is 16). */
  parallel?: number;
}

/** One stack (one project linked to the shared install, one runner) against one emulator. */
export class RelStack {
  readonly runner: LifecycleRunner;

  private constructor(
    readonly emulator: Emulator,
    readonly projectDir: string,
    options: StackOptions,
  ) {
    this.runner = new LifecycleRunner({
      projectDir,
      config: options.config ?? emulatorStackConfig(emulator),
      ...(options.parallel === undefined ? {} : { parallel: options.parallel }),
      env: {
        NODE_EXTRA_CA_CERTS: emulator.caCertPath,
        M365_BACKUP_POLL_INTERVAL_MS: POLL_INTERVAL_MS,
        ...options.env,
      },
    });
  }

  static create(emulator: Emulator, installed: InstalledPackage, options: StackOptions = {}): RelStack {
    const projectDir = createProject({ from: installed, name: options.name ?? "reliability", source: "" });
    return new RelStack(emulator, projectDir, options);
  }

  /** Writes the program of one kind's resources. */
  program(kind: Kind, resources: ResourceDecl[]): this {
    return this.source(programSource(kind, resources));
  }

  /** Writes a program verbatim. */
  source(text: string): this {
    fs.writeFileSync(path.join(this.projectDir, "index.js"), text);
    return this;
  }

  /** Session ids the checkpoint holds (custom resources with an id). */
  stateIds(): string[] {
    return this.runner
      .resources()
      .filter((resource) => resource.custom && resource.id)
      .map((resource) => resource.id as string);
  }

  close(): Promise<void> {
    return this.runner.close();
  }
}

/** The ops of the custom-resource steps of an operation. */
export function ops(result: OperationResult): string[] {
  return result.steps.filter((step) => step.custom).map((step) => step.op);
}

/** Every message an operation surfaced: errors, step errors and diagnostics. */
export function allMessages(result: OperationResult): string[] {
  return [
    ...result.errors.flatMap((error) => [error.message, ...(error.initErrors ?? [])]),
    ...result.steps.map((step) => step.error ?? ""),
    ...result.diagnostics.map((diagnostic) => diagnostic.message),
  ].filter((message) => message !== "");
}

/** Marks of a raw client dump: an axios error, its request config, headers or a bearer token. */
const RAW_DUMP = [
  /AxiosError/,
  /\bconfig:\s*\{/,
  /\bauthorization["']?\s*:/i,
  /Bearer\s+[A-Za-z0-9._-]{20,}/,
  /_header:/,
  /\bsocket\b.*\bTLSSocket\b/,
];

/**
 * Why `message` is not a clear error, or undefined when it is: it must say what failed (an HTTP status,
 * a Graph code or a plain-words network cause) and must not be a raw client dump.
 */
export function unclearReason(message: string): string | undefined {
  for (const pattern of RAW_DUMP) {
    if (pattern.test(message)) return `looks like a raw dump (${pattern.source})`;
  }
  if (message.length > 4_000) return `is ${message.length} characters long`;
  const says =
    /\b[1-5]\d\d\b|[A-Z][a-z]+[A-Z][A-Za-z]+|timed out|reset|refused|not valid JSON|JSON|HTML|ambiguous|token/i;
  if (!says.test(message)) return "names no status, code or cause";
  return undefined;
}

/**
 * Why the emulator does not hold exactly the checkpoint's sessions among `created` (the sessions made
 * since a mark), or undefined when it does: every created session is in state or was deleted, every
 * state id exists, nothing twice.
 */
export async function consistency(
  emulator: Emulator,
  stack: RelStack,
  before: Set<string>,
  options: { activatedMayBeForgotten?: boolean } = {},
): Promise<string | undefined> {
  const all = await sessionsInEmulator(emulator);
  const created = all
    .filter((session) => !before.has(session.id))
    // Destroy forgets activated sessions on purpose (Graph cannot delete them); drafts it must delete.
    .filter((session) => !(options.activatedMayBeForgotten && session.status !== "draft"))
    .map((session) => session.id);
  const state = stack.stateIds();
  const duplicates = state.filter((id, index) => state.indexOf(id) !== index);
  if (duplicates.length > 0) return `state holds ${duplicates.join(", ")} twice`;
  const existing = new Set(all.map((session) => session.id));
  const missing = state.filter((id) => !existing.has(id));
  if (missing.length > 0) return `state holds ${missing.join(", ")} which the emulator does not have`;
  const orphans = created.filter((id) => !state.includes(id));
  if (orphans.length > 0)
    return `the emulator holds ${orphans.join(", ")} which state does not know (orphans)`;
  return undefined;
}

/** Ids of every session the emulator holds now. */
export async function sessionMark(emulator: Emulator): Promise<Set<string>> {
  return new Set((await sessionsInEmulator(emulator)).map((session) => session.id));
}

export { unitOnHold } from "../lifecycle/harness";

/** `count` units of `kind` (not on hold) from unit `skip` on, with their latest restore points (20 per search). */
export async function unitPoints(
  emulator: Emulator,
  kind: Kind,
  count: number,
  skip = 0,
): Promise<UnitPoint[]> {
  const points: UnitPoint[] = [];
  for (let offset = 0; offset < count; offset += 20) {
    points.push(...(await harnessUnitPoints(emulator, kind, Math.min(20, count - offset), skip + offset)));
  }
  return points;
}

/** One resource of a mixed-kind program. */
export interface MixedDecl {
  kind: Kind;
  name: string;
  args: Record<string, unknown>;
}

/** A program declaring resources of any kinds, exporting each one's id and status. */
export function mixedProgram(resources: MixedDecl[]): string {
  const lines = [`"use strict";`, `const m365 = require("pulumi-m365-backup");`];
  resources.forEach((resource, index) => {
    lines.push(
      `const r${index} = new m365.${KINDS[resource.kind].className}(${JSON.stringify(resource.name)}, ${JSON.stringify(resource.args)});`,
      `exports[${JSON.stringify(`${resource.name}Id`)}] = r${index}.id;`,
      `exports[${JSON.stringify(`${resource.name}Status`)}] = r${index}.status;`,
    );
  });
  return `${lines.join("\n")}\n`;
}

/** The resource name of a URN (its last `::` segment). */
export function nameOf(urn: string | undefined): string {
  return urn?.split("::").pop() ?? "program";
}

/**
 * Runs `work` while an `EPIPE` from a child process's IPC channel is ignored instead of failing the
 * test. The runner answers registrations of a program host it has already stopped (tools/runner/program.ts
 * `reply` after `finish`), which throws EPIPE asynchronously; see docs/reliability.md, finding 2.
 */
export async function toleratingRunnerEpipe<T>(
  work: () => Promise<T>,
): Promise<{ value: T; epipes: number }> {
  const saved = process.listeners("uncaughtException");
  let epipes = 0;
  const guard = (error: Error & { code?: string }): void => {
    if (error.code === "EPIPE") {
      epipes += 1;
      return;
    }
    for (const listener of saved) listener(error, "uncaughtException");
  };
  process.removeAllListeners("uncaughtException");
  process.on("uncaughtException", guard);
  try {
    return { value: await work(), epipes };
  } finally {
    process.removeListener("uncaughtException", guard);
    for (const listener of saved) process.on("uncaughtException", listener);
  }
}

/**
 * `it`, with the body run under {@link toleratingRunnerEpipe}: any operation whose program has a
 * failing registration can hit the runner's EPIPE (finding 2), which mocha would otherwise pin on the
 * test while its body keeps running into the next one.
 */
export function itTolerant(title: string, body: () => Promise<void>): Mocha.Test {
  return it(title, async () => {
    const { epipes } = await toleratingRunnerEpipe(body);
    if (epipes > 0)
      console.log(`      (runner EPIPE tolerated ${epipes} time(s), docs/reliability.md finding 2)`);
  });
}

/**
 * Polls `condition` (every 20 ms) until it holds; rejects after `limitInMs`. A wait for an observable
 * event (a request logged, a process gone), not a timing assumption.
 */
export async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
  limitInMs = 60_000,
): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > limitInMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
