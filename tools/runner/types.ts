// Public types of the lifecycle runner: what it reports about each step and each operation.
import type { PropertyMap } from "./properties";

/** Severity of a diagnostic, as the engine's log levels. */
export type DiagnosticSeverity = "debug" | "info" | "warning" | "error";

/**
 * A message surfaced during an operation, like the CLI's "Diagnostics" section.
 * - `provider-log`: `pulumi.log.*` called inside the provider host (through the Engine service);
 * - `provider-stdout` / `provider-stderr`: lines the provider host printed;
 * - `program`: lines the program printed or logged;
 * - `runner`: the runner's own warnings.
 */
export interface Diagnostic {
  severity: DiagnosticSeverity;
  message: string;
  source: "provider-log" | "provider-stdout" | "provider-stderr" | "program" | "runner";
  urn?: string;
}

/**
 * A step kind, named as the CLI names them. A replacement shows as `create-replacement` (the new
 * resource is created), `replace` (the logical step) and, at the end of the operation,
 * `delete-replaced`; with delete-before-replace the order is `delete-replaced`, `create-replacement`,
 * `replace`.
 */
export type StepOp =
  | "create"
  | "update"
  | "same"
  | "replace"
  | "create-replacement"
  | "delete-replaced"
  | "delete"
  | "refresh"
  | "read"
  | "import";

/** One step of an operation. */
export interface StepReport {
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  /** `false` for components and the stack resource (no provider call is made for them). */
  custom: boolean;
  /** `true` when this step was only planned (preview). */
  preview: boolean;
  /** Wall time of the provider calls for this step, in milliseconds. */
  durationInMs: number;
  /** Properties the diff reported as changed (or, without a provider diff, the changed inputs). */
  diffs?: string[];
  /** Properties whose change forces replacement. */
  replaces?: string[];
  /** For `refresh`: whether the provider's read changed the state, or found the resource gone. */
  refreshResult?: "same" | "changed" | "gone";
  /** The error message if the step failed. */
  error?: string;
}

/** A failure attributed to one resource (or to the program when `urn` is absent). */
export interface ResourceError {
  urn?: string;
  /** What the runner was doing: `check`, `diff`, `create`, `update`, `delete`, `read`, `import`, `program`. */
  operation: string;
  message: string;
  /** For a partial creation: the reasons from `ErrorResourceInitFailed`. */
  initErrors?: string[];
}

/** What each operation returns. */
export interface OperationResult {
  /** Steps in the order they completed. */
  steps: StepReport[];
  /** Count of steps per op (the CLI's summary line). */
  summary: Partial<Record<StepOp, number>>;
  /** The program's stack outputs (plain values; secrets unwrapped). Empty for refresh and destroy. */
  outputs: Record<string, unknown>;
  /** Messages from providers, the program and the runner. */
  diagnostics: Diagnostic[];
  /** Failures per resource; empty when the operation succeeded. */
  errors: ResourceError[];
  /** Size in bytes of the serialized `__provider` per resource type seen in this operation. */
  providerSizes: Record<string, number>;
  /** Wall time of the whole operation, in milliseconds. */
  durationInMs: number;
}

/** A stack configuration value: plain, or marked secret (sent to Configure as a Pulumi secret). */
export type ConfigValue = string | { value: string; secret: true };

/** One registration the program made, as the runner receives it from the program host. */
export interface Registration {
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  /** The inputs in wire form (secrets as signature objects, unknowns as the sentinel). */
  object: PropertyMap;
  dependencies: string[];
  deleteBeforeReplace?: boolean;
  importId: string;
  ignoreChanges: string[];
  replaceOnChanges: string[];
  retainOnDelete: boolean;
  provider: string;
}

/** The engine's answer to a registration: what the program's resource resolves to. */
export interface RegistrationOutcome {
  urn: string;
  id: string;
  object: PropertyMap;
}
