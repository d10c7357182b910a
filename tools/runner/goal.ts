// A registration resolved against state (the "goal" of a step), and the steps' shared helpers,
// including import.
import type { ResourceState } from "./checkpoint";
import { messageOf, type Operation, stopwatch } from "./operation";
import type { PropertyMap } from "./properties";
import type { Registration, StepReport } from "./types";

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
 * The import step (the `import` resource option, or {@link LifecycleRunner.import}) as the engine's
 * `ImportStep.Apply` runs it (pkg/resource/deploy/step.go): Read with the URN and the id to import and
 * nothing else, neither state nor inputs. The SDK's dynamic-provider host looks for `__provider` in
 * what Read carries, so for a dynamic resource this fails in the host before any provider code runs
 * (pulumi/pulumi#3550, #16175), as under the CLI. A provider that does answer becomes the old state
 * the registration is then checked and diffed against (`continueStepsFromImport` in
 * step_generator.go). Throws (after reporting the step) on failure.
 */
export async function importStep(
  operation: Operation,
  urn: string,
  registration: Registration,
  id: string,
): Promise<ResourceState> {
  const watch = stopwatch();
  const report = {
    ...stepIdentity(operation, urn, registration.type, registration.name, true),
    op: "import" as const,
  };
  try {
    const read = await operation.host.read(urn, id, undefined, undefined);
    if (!read.hasProperties) {
      throw new Error(`resource '${id}' does not exist`);
    }
    if (read.inputs === undefined) {
      throw new Error(
        `provider does not support importing resources; please try updating the '${registration.type.split(":")[0]}' plugin`,
      );
    }
    const state: ResourceState = {
      ...stateFromRegistration(urn, registration),
      id: read.id || id,
      inputs: read.inputs,
      outputs: read.properties,
    };
    if (!operation.preview) {
      operation.put(state);
    }
    operation.step({ ...report, durationInMs: watch() });
    return state;
  } catch (error) {
    operation.step({ ...report, durationInMs: watch(), error: messageOf(error) });
    throw error;
  }
}
