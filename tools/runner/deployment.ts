// `up` and `preview`: each registration the program makes becomes a step decided with the engine's
// rules (Check, then Diff against the stored outputs, then Create, Update, replace or same); resources
// the program no longer registers, and old copies of replaced resources, are deleted at the end in
// reverse order.
import type { ResourceState } from "./checkpoint";
import { type Limiter, messageOf, type Operation, stopwatch } from "./operation";
import { annotateSecrets, changedKeys, secretKeys, stripSecretsFromMap } from "./properties";
import type { ReadRequest } from "./protocol";
import { type Decision, decideStep } from "./decide";
import { type DiffResult, ResourceInitError } from "./provider-host";
import { type Goal, goalIdentity, importStep, stateFromRegistration, stepIdentity } from "./goal";
import { deleteResource } from "./steps";
import { makeUrn, type StackIdentity } from "./urn";
import type { Registration, RegistrationOutcome, StepReport } from "./types";

/** Runs one `up` or `preview` against the registrations of one program run. */
export class Deployment {
  private readonly registered = new Set<string>();
  private readonly completed: string[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly operation: Operation,
    private readonly identity: StackIdentity,
    private readonly limiter: Limiter,
    private readonly imports: Readonly<Record<string, string>>,
  ) {}

  /** Handles one registration from the program; resolves to what the resource's outputs become. */
  register(registration: Registration): Promise<RegistrationOutcome> {
    const work = this.limiter.run(() => this.registerNow(registration));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  /** Handles a `Resource.get`: reads the resource and records it as external. */
  async read(request: ReadRequest): Promise<RegistrationOutcome> {
    const urn = makeUrn(this.identity, request.type, request.name, request.parent);
    this.registered.add(urn);
    const watch = stopwatch();
    // The engine's ReadStep sends the program's inputs as both the state and the inputs.
    const object = stripSecretsFromMap(request.object);
    const read = await this.operation.host.read(urn, request.id, object, object);
    if (!read.id) {
      throw new Error(`${urn}: resource '${request.id}' does not exist`);
    }
    this.operation.step({
      ...stepIdentity(this.operation, urn, request.type, request.name, true),
      op: "read",
      durationInMs: watch(),
    });
    if (!this.operation.preview) {
      this.operation.put({
        urn,
        type: request.type,
        name: request.name,
        custom: true,
        id: read.id,
        inputs: read.inputs ?? {},
        outputs: read.properties,
        dependencies: request.dependencies,
        external: true,
        ...(request.parent ? { parent: request.parent } : {}),
      });
    }
    this.completed.push(urn);
    return { urn, id: read.id, object: read.properties };
  }

  /** Waits for steps still running after the program ended. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
  }

  /**
   * After the program: orders state as the program registered it, then deletes what it no longer
   * registers and the old copies of replaced resources, dependents first. Skipped if a step failed,
   * as the engine skips deletions when an update fails.
   */
  async finish(): Promise<void> {
    const state = this.operation.state;
    const rank = new Map(this.completed.map((urn, index) => [urn, index]));
    const live = state.resources.filter((resource) => !resource.delete && rank.has(resource.urn));
    live.sort((left, right) => (rank.get(left.urn) ?? 0) - (rank.get(right.urn) ?? 0));
    const rest = state.resources.filter((resource) => resource.delete || !rank.has(resource.urn));
    state.resources = [...live, ...rest];
    this.operation.save();
    if (this.operation.failed) {
      return;
    }
    const doomed = state.resources
      .filter((resource) => resource.delete || !this.registered.has(resource.urn))
      .reverse();
    for (const resource of doomed) {
      const ok = await deleteResource(
        this.operation,
        resource,
        resource.delete ? "delete-replaced" : "delete",
      );
      if (!ok) {
        return;
      }
    }
  }

  private async registerNow(registration: Registration): Promise<RegistrationOutcome> {
    const urn = makeUrn(this.identity, registration.type, registration.name, registration.parent);
    if (this.registered.has(urn)) {
      throw new Error(`duplicate resource URN '${urn}'; try giving it a unique name`);
    }
    this.registered.add(urn);
    if (this.operation.failed && !this.operation.preview) {
      throw new Error(`${urn}: not processed because an earlier step failed`);
    }
    const outcome = registration.custom
      ? await this.registerCustom(urn, registration)
      : this.registerComponent(urn, registration);
    this.completed.push(urn);
    return outcome;
  }

  private registerComponent(urn: string, registration: Registration): RegistrationOutcome {
    const old = this.operation.find(urn);
    const diffs = old ? changedKeys(old.inputs, registration.object) : [];
    const op = !old ? "create" : diffs.length > 0 ? "update" : "same";
    this.operation.step({
      ...stepIdentity(this.operation, urn, registration.type, registration.name, false),
      op,
      durationInMs: 0,
      ...(diffs.length ? { diffs } : {}),
    });
    if (!this.operation.preview) {
      this.operation.put({
        ...stateFromRegistration(urn, registration),
        custom: false,
        inputs: registration.object,
        outputs: old?.outputs ?? {},
      });
    }
    return { urn, id: "", object: registration.object };
  }

  private async registerCustom(urn: string, registration: Registration): Promise<RegistrationOutcome> {
    if (!registration.type.startsWith("pulumi-nodejs:dynamic")) {
      throw this.failure(
        urn,
        "check",
        `the lifecycle runner only drives dynamic resources, not '${registration.type}'`,
      );
    }
    this.operation.noteProvider(registration.type, registration.object);
    const importId = this.imports[registration.name] ?? this.imports[urn] ?? registration.importId;
    const stored = this.operation.find(urn);
    // The engine imports before Check, then checks and diffs the program against what it read.
    const imported = !stored && importId ? await this.importExisting(urn, registration, importId) : undefined;
    const goal = await this.check(urn, registration, imported ?? stored);
    if (!goal.old) {
      return this.create(goal, "create");
    }
    const decision = await this.decide(goal, goal.old);
    switch (decision.kind) {
      case "same":
        // An import that needs no change resolves to what was read, with no step of its own.
        return imported
          ? { urn, id: imported.id ?? "", object: imported.outputs }
          : this.same(goal, goal.old);
      case "update":
        return this.update(goal, goal.old, decision.diffs);
      case "replace":
        if (importId) {
          this.refuseImportReplacement(goal, decision.replaces);
        }
        return this.replace(goal, goal.old, decision);
      default: {
        const unexpected: never = decision;
        throw new Error(`unexpected decision ${JSON.stringify(unexpected)}`);
      }
    }
  }

  private async check(
    urn: string,
    registration: Registration,
    old: ResourceState | undefined,
  ): Promise<Goal> {
    const secretInputKeys = secretKeys(registration.object);
    let checked;
    try {
      checked = await this.operation.host.check(
        urn,
        stripSecretsFromMap(old?.inputs ?? {}),
        stripSecretsFromMap(registration.object),
      );
    } catch (error) {
      throw this.failure(urn, "check", messageOf(error));
    }
    if (checked.failures.length > 0) {
      const reasons = checked.failures.map((failure) => `${failure.property}: ${failure.reason}`).join("; ");
      throw this.failure(urn, "check", `check failed: ${reasons}`);
    }
    return {
      urn,
      registration,
      old,
      inputs: annotateSecrets(checked.inputs, secretInputKeys),
      secretInputKeys,
    };
  }

  private async decide(goal: Goal, old: ResourceState): Promise<Decision> {
    let diff: DiffResult;
    try {
      diff = await this.operation.host.diff(
        goal.urn,
        old.id ?? "",
        stripSecretsFromMap(old.outputs),
        stripSecretsFromMap(goal.inputs),
        stripSecretsFromMap(old.inputs),
      );
    } catch (error) {
      throw this.failure(goal.urn, "diff", messageOf(error));
    }
    return decideStep({
      diff,
      oldInputs: old.inputs,
      newInputs: goal.inputs,
      initErrors: old.initErrors ?? [],
      replaceOnChanges: goal.registration.replaceOnChanges,
      ...(goal.registration.deleteBeforeReplace !== undefined
        ? { deleteBeforeReplaceOption: goal.registration.deleteBeforeReplace }
        : {}),
    });
  }

  private same(goal: Goal, old: ResourceState): RegistrationOutcome {
    this.operation.step({ ...goalIdentity(this.operation, goal), op: "same", durationInMs: 0 });
    if (!this.operation.preview) {
      this.operation.put({
        ...old,
        ...stateFromRegistration(goal.urn, goal.registration),
        inputs: goal.inputs,
        outputs: old.outputs,
      });
    }
    return { urn: goal.urn, id: old.id ?? "", object: old.outputs };
  }

  private async create(goal: Goal, op: "create" | "create-replacement"): Promise<RegistrationOutcome> {
    if (this.operation.preview) {
      this.operation.step({ ...goalIdentity(this.operation, goal), op, durationInMs: 0 });
      return { urn: goal.urn, id: "", object: goal.inputs };
    }
    const watch = stopwatch();
    try {
      const pending = { urn: goal.urn, type: goal.registration.type, operation: "creating" as const };
      const created = await this.operation.pending(pending, () =>
        this.operation.host.create(goal.urn, stripSecretsFromMap(goal.inputs)),
      );
      const outputs = annotateSecrets(created.properties, goal.secretInputKeys);
      this.operation.put({
        ...stateFromRegistration(goal.urn, goal.registration),
        id: created.id,
        inputs: goal.inputs,
        outputs,
      });
      this.operation.step({ ...goalIdentity(this.operation, goal), op, durationInMs: watch() });
      return { urn: goal.urn, id: created.id, object: outputs };
    } catch (error) {
      throw this.writeFailed(goal, op, "create", error, watch());
    }
  }

  private async update(goal: Goal, old: ResourceState, diffs: string[]): Promise<RegistrationOutcome> {
    const id = old.id ?? "";
    if (this.operation.preview) {
      this.operation.step({ ...goalIdentity(this.operation, goal), op: "update", durationInMs: 0, diffs });
      return { urn: goal.urn, id, object: goal.inputs };
    }
    const watch = stopwatch();
    try {
      const pending = { urn: goal.urn, type: goal.registration.type, operation: "updating" as const, id };
      const properties = await this.operation.pending(pending, () =>
        this.operation.host.update(
          goal.urn,
          id,
          stripSecretsFromMap(old.outputs),
          stripSecretsFromMap(goal.inputs),
          stripSecretsFromMap(old.inputs),
        ),
      );
      const outputs = annotateSecrets(properties, goal.secretInputKeys);
      this.operation.put({
        ...stateFromRegistration(goal.urn, goal.registration),
        id,
        inputs: goal.inputs,
        outputs,
      });
      this.operation.step({
        ...goalIdentity(this.operation, goal),
        op: "update",
        durationInMs: watch(),
        diffs,
      });
      return { urn: goal.urn, id, object: outputs };
    } catch (error) {
      throw this.writeFailed(goal, "update", "update", error, watch(), id);
    }
  }

  private async replace(
    goal: Goal,
    old: ResourceState,
    decision: Extract<Decision, { kind: "replace" }>,
  ): Promise<RegistrationOutcome> {
    const detail = { diffs: decision.diffs, replaces: decision.replaces };
    if (this.operation.preview) {
      this.operation.step({
        ...goalIdentity(this.operation, goal),
        op: "replace",
        durationInMs: 0,
        ...detail,
      });
      return { urn: goal.urn, id: "", object: goal.inputs };
    }
    if (decision.deleteBeforeReplace) {
      if (!(await deleteResource(this.operation, old, "delete-replaced"))) {
        throw new Error(`${goal.urn}: could not delete the resource before replacing it`);
      }
      const outcome = await this.create({ ...goal, old: undefined }, "create-replacement");
      this.operation.step({
        ...goalIdentity(this.operation, goal),
        op: "replace",
        durationInMs: 0,
        ...detail,
      });
      return outcome;
    }
    // Create before delete: the old copy stays in state, marked for deletion at the end.
    const index = this.operation.state.resources.indexOf(old);
    this.operation.state.resources[index] = { ...old, delete: true };
    try {
      const outcome = await this.create({ ...goal, old: undefined }, "create-replacement");
      this.operation.step({
        ...goalIdentity(this.operation, goal),
        op: "replace",
        durationInMs: 0,
        ...detail,
      });
      return outcome;
    } catch (error) {
      if (!this.operation.find(goal.urn)) {
        this.operation.state.resources[index] = old;
        this.operation.save();
      }
      throw error;
    }
  }

  private async importExisting(urn: string, registration: Registration, id: string): Promise<ResourceState> {
    try {
      return await importStep(this.operation, urn, registration, id);
    } catch (error) {
      throw this.failure(urn, "import", messageOf(error));
    }
  }

  /**
   * A resource whose program still names an id to import may not be replaced: the engine fails the
   * step (a warning in preview), since the replacement would get another id (step_generator.go).
   */
  private refuseImportReplacement(goal: Goal, replaces: string[]): void {
    const message =
      "previously-imported resources that still specify an ID may not be replaced; please remove the " +
      `\`import\` declaration from your program (${replaces.join(", ")})`;
    if (!this.operation.preview) {
      throw this.failure(goal.urn, "replace", message);
    }
    this.operation.diagnostics.push({ severity: "warning", message, source: "runner", urn: goal.urn });
  }

  /** Records a failed create or update; a partial creation keeps the resource in state. */
  private writeFailed(
    goal: Goal,
    op: StepReport["op"],
    operation: "create" | "update",
    error: unknown,
    durationInMs: number,
    oldId?: string,
  ): Error {
    const message = messageOf(error);
    this.operation.step({ ...goalIdentity(this.operation, goal), op, durationInMs, error: message });
    if (ResourceInitError.isInstance(error)) {
      this.operation.put({
        ...stateFromRegistration(goal.urn, goal.registration),
        id: error.id || oldId || "",
        inputs: goal.inputs,
        outputs: annotateSecrets(error.properties, goal.secretInputKeys),
        initErrors: error.reasons.length > 0 ? error.reasons : [message],
      });
      this.operation.fail({ urn: goal.urn, operation, message, initErrors: error.reasons });
      return new Error(`${goal.urn}: ${message}`);
    }
    this.operation.fail({ urn: goal.urn, operation, message });
    return new Error(`${goal.urn}: ${message}`);
  }

  private failure(urn: string, operation: string, message: string): Error {
    this.operation.fail({ urn, operation, message });
    return new Error(`${urn}: ${message}`);
  }
}
