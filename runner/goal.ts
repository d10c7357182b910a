// A registration resolved against state (the "goal" of a step), and the steps' shared helpers,
// including import.
import type { ResourceState } from "./checkpoint";
import { withoutProvider } from "./decide";
import { messageOf, type Operation, stopwatch } from "./operation";
import {
  annotateSecrets,
  changedKeys,
  PROVIDER_KEY,
  type PropertyMap,
  stripSecretsFromMap,
} from "./properties";
import type { Registration, RegistrationOutcome, StepReport } from "./types";

/** A registration resolved to its URN and checked inputs. */
export interface Goal {
  urn: string;
  registration: Registration;
  old: ResourceState | undefined;
  /** Checked inputs in wire form (secret inputs stay secret). */
  inputs: PropertyMap;
  /** Top-level input properties that were secret in the program. */
  secretInputKeys: Set<string>;
}

/** The fields that say which resource a step report is about. */
export type StepIdentity = Pick<StepReport, "urn" | "type" | "name" | "custom" | "preview">;

/** The state entry fields that come from a registration (inputs and outputs left empty). */
export function stateFromRegistration(urn: string, registration: Registration): ResourceState {
  return {
    urn,
    type: registration.type,
    name: registration.name,
    custom: registration.custom,
    inputs: {},
    outputs: {},
    dependencies: registration.dependencies,
    ...(registration.parent ? { parent: registration.parent } : {}),
    ...(registration.deleteBeforeReplace !== undefined
      ? { deleteBeforeReplace: registration.deleteBeforeReplace }
      : {}),
    ...(registration.retainOnDelete ? { retainOnDelete: true } : {}),
  };
}

/** The identifying fields of a step report for a custom resource's goal. */
export function goalIdentity(operation: Operation, goal: Goal): StepIdentity {
  return stepIdentity(operation, goal.urn, goal.registration.type, goal.registration.name, true);
}

/** The identifying fields of a step report. */
export function stepIdentity(
  operation: Operation,
  urn: string,
  type: string,
  name: string,
  custom: boolean,
): StepIdentity {
  return { urn, type, name, custom, preview: operation.preview };
}

/**
 * Import (the `import` option, or {@link LifecycleRunner.import}): Read the existing resource, then
 * Diff it against the program's checked inputs; any difference fails the import, else the resource is
 * recorded with the program's inputs and the read outputs. Throws (after reporting the step) on failure.
 */
export async function importStep(operation: Operation, goal: Goal, id: string): Promise<RegistrationOutcome> {
  const watch = stopwatch();
  const host = operation.host;
  const provider = goal.inputs[PROVIDER_KEY];
  try {
    // The engine sends no `__provider` to Read on import, which the dynamic-provider host needs
    // (pulumi/pulumi#3550); the runner passes the program's, to exercise the provider's `read`.
    const read = await host.read(
      goal.urn,
      id,
      stripSecretsFromMap({ [PROVIDER_KEY]: provider ?? null }),
      stripSecretsFromMap(goal.inputs),
    );
    if (!read.id) {
      throw new Error(`resource '${id}' does not exist`);
    }
    const diff = await host.diff(
      goal.urn,
      read.id,
      read.properties,
      stripSecretsFromMap(goal.inputs),
      read.inputs ?? {},
    );
    const differing =
      diff.changes === "some"
        ? diff.diffs.length > 0
          ? diff.diffs
          : changedKeys(withoutProvider(read.inputs ?? read.properties), withoutProvider(goal.inputs))
        : [];
    if (differing.length > 0 || diff.replaces.length > 0) {
      throw new Error(
        `inputs to import do not match the existing resource (${[...differing, ...diff.replaces].join(", ")})`,
      );
    }
    const outputs = annotateSecrets(read.properties, goal.secretInputKeys);
    if (!operation.preview) {
      operation.put({
        ...stateFromRegistration(goal.urn, goal.registration),
        id: read.id,
        inputs: goal.inputs,
        outputs,
      });
    }
    operation.step({ ...goalIdentity(operation, goal), op: "import", durationInMs: watch() });
    return { urn: goal.urn, id: read.id, object: outputs };
  } catch (error) {
    operation.step({
      ...goalIdentity(operation, goal),
      op: "import",
      durationInMs: watch(),
      error: messageOf(error),
    });
    throw error;
  }
}
