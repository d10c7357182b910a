/**
 * The kind-independent view of a session's inputs (artifact lists sorted by `artifactIdentity.ts`'s
 * value, so that order never shows as a change).
 */
import { artifactValue } from "./artifactIdentity";
import { foldGranular } from "./granularSelectors";
import type {
  ArtifactStyle,
  BulkRequestInput,
  GranularArtifactInput,
  KindSchema,
  SessionInputs,
  SessionSpec,
  StandardArtifactInput,
} from "../../model";

export const DEFAULT_COMPLETION_TIMEOUT_MINUTES = 60;

/** The engine's own key in every dynamic resource's inputs and state: the serialized provider. */
export const PROVIDER_KEY = "__provider";

/** A copy of the engine's property bag without {@link PROVIDER_KEY}: the session's own properties. */
export function withoutProvider(bag: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...bag };
  delete copy[PROVIDER_KEY];
  return copy;
}

/** Sorted by value, so that order never shows as a change. */
export function sortArtifacts<T extends StandardArtifactInput | GranularArtifactInput>(artifacts: T[]): T[] {
  return [...artifacts].sort((a, b) =>
    artifactValue(a) < artifactValue(b) ? -1 : artifactValue(a) > artifactValue(b) ? 1 : 0,
  );
}

function listAt<T>(inputs: SessionInputs, property: string): T[] {
  const value = inputs[property];
  return Array.isArray(value) ? (value as T[]) : [];
}

/** Reads normalized inputs (or the input part of outputs) into a {@link SessionSpec}. */
export function toSpec(schema: KindSchema, inputs: SessionInputs): SessionSpec {
  const standard = listAt<StandardArtifactInput>(inputs, schema.standardProperty);
  const granular = listAt<GranularArtifactInput>(inputs, schema.granularProperty);
  const bulkValue = inputs[schema.bulkProperty];
  const bulk = typeof bulkValue === "object" && bulkValue !== null ? (bulkValue as BulkRequestInput) : null;
  const style: ArtifactStyle = bulk
    ? "bulk"
    : granular.length > 0
      ? "granular"
      : standard.length > 0
        ? "standard"
        : "empty";
  return {
    style,
    standard,
    granular,
    bulk,
    conflictBehavior: inputs.conflictBehavior ?? null,
    activate: inputs.activate === true,
    waitForCompletion: inputs.waitForCompletion === true,
    completionTimeoutMinutes:
      typeof inputs.completionTimeoutMinutes === "number"
        ? inputs.completionTimeoutMinutes
        : DEFAULT_COMPLETION_TIMEOUT_MINUTES,
    triggers: inputs.triggers ?? null,
    artifactOutputs: inputs.artifactOutputs === "failedOnly" ? "failedOnly" : "all",
    ...(typeof inputs.importSessionId === "string" ? { importSessionId: inputs.importSessionId } : {}),
  };
}

/** The inverse of {@link toSpec}: Graph's property names, empty lists and unset options omitted. */
export function fromSpec(schema: KindSchema, spec: SessionSpec): SessionInputs {
  const inputs: SessionInputs = {
    activate: spec.activate,
    waitForCompletion: spec.waitForCompletion,
    completionTimeoutMinutes: spec.completionTimeoutMinutes,
  };
  if (spec.standard.length > 0) inputs[schema.standardProperty] = sortArtifacts(spec.standard);
  // Items expanded from a granular selector go back into it, with its resolution pinned.
  if (spec.granular.length > 0) inputs[schema.granularProperty] = sortArtifacts(foldGranular(spec.granular));
  if (spec.bulk) inputs[schema.bulkProperty] = spec.bulk;
  if (spec.conflictBehavior) inputs.conflictBehavior = spec.conflictBehavior;
  if (spec.triggers !== null) inputs.triggers = spec.triggers;
  // The default is left out, so states written before the option existed diff as unchanged.
  if (spec.artifactOutputs !== "all") inputs.artifactOutputs = spec.artifactOutputs;
  if (spec.importSessionId !== undefined) inputs.importSessionId = spec.importSessionId;
  return inputs;
}

/** Deep equality of JSON values with object keys in any order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(",")}]`;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
