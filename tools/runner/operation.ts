// What every operation shares: the in-memory checkpoint it rewrites after each step, and the report it
// builds (steps, diagnostics, errors, `__provider` sizes).
import type { CheckpointData, CheckpointStore, PendingOperation, ResourceState } from "./checkpoint";
import { isSecret, PROVIDER_KEY, type PropertyMap, stripSecrets } from "./properties";
import type { ProviderHost } from "./provider-host";
import type { Diagnostic, OperationResult, ResourceError, StepReport } from "./types";

/** Runs at most `limit` tasks at once, like the engine's `--parallel`. */
export class Limiter {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Runs `task` when a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }
}

/** One operation in progress. */
export class Operation {
  readonly steps: StepReport[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly errors: ResourceError[] = [];
  readonly providerSizes: Record<string, number> = {};
  private readonly startedAt = Date.now();
  stackOutputs: PropertyMap = {};

  /**
   * @param state - the checkpoint as loaded; the operation edits it in place.
   * @param store - where each edit is saved; `undefined` for a preview, which writes nothing.
   */
  constructor(
    readonly host: ProviderHost,
    readonly state: CheckpointData,
    private readonly store: CheckpointStore | undefined,
    readonly preview: boolean,
  ) {}

  /** Whether any step has failed so far. */
  get failed(): boolean {
    return this.errors.length > 0;
  }

  /** Records a step. */
  step(report: StepReport): void {
    this.steps.push(report);
  }

  /** Records a failure. */
  fail(error: ResourceError): void {
    this.errors.push(error);
  }

  /** Notes the size of a resource's serialized provider. */
  noteProvider(type: string, inputs: PropertyMap): void {
    const provider = inputs[PROVIDER_KEY];
    const text = isSecret(provider) ? provider.value : provider;
    if (typeof text === "string") {
      this.providerSizes[type] = Buffer.byteLength(text, "utf8");
    }
  }

  /** The live (not pending-delete) entry for `urn`. */
  find(urn: string): ResourceState | undefined {
    return this.state.resources.find((resource) => resource.urn === urn && !resource.delete);
  }

  /** Puts `resource` in state (replacing the live entry with its URN, else appending) and saves. */
  put(resource: ResourceState): void {
    const index = this.state.resources.findIndex(
      (existing) => existing.urn === resource.urn && !existing.delete,
    );
    if (index === -1) {
      this.state.resources.push(resource);
    } else {
      this.state.resources[index] = resource;
    }
    this.save();
  }

  /** Removes exactly this entry from state and saves. */
  remove(resource: ResourceState): void {
    this.state.resources = this.state.resources.filter((existing) => existing !== resource);
    this.save();
  }

  /**
   * Runs a provider call recorded as pending in the checkpoint while it runs, so that an operation
   * interrupted mid-call leaves a trace the next operation reports.
   */
  async pending<T>(entry: PendingOperation, call: () => Promise<T>): Promise<T> {
    this.state.pendingOperations = [...(this.state.pendingOperations ?? []), entry];
    this.save();
    try {
      return await call();
    } finally {
      this.state.pendingOperations = this.state.pendingOperations.filter((pending) => pending !== entry);
      this.save();
    }
  }

  /** Writes the checkpoint (not during a preview). */
  save(): void {
    this.store?.save(this.state);
  }

  /** The report handed to the caller. */
  result(): OperationResult {
    const summary: OperationResult["summary"] = {};
    for (const step of this.steps) {
      summary[step.op] = (summary[step.op] ?? 0) + 1;
    }
    return {
      steps: this.steps,
      summary,
      outputs: stripSecrets(this.stackOutputs) as Record<string, unknown>,
      diagnostics: this.diagnostics,
      errors: this.errors,
      providerSizes: this.providerSizes,
      durationInMs: Date.now() - this.startedAt,
    };
  }
}

/** Starts a stopwatch; calling the result gives the milliseconds elapsed since. */
export function stopwatch(): () => number {
  const startedAt = performance.now();
  return () => Math.round(performance.now() - startedAt);
}

/** The message of an unknown thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
