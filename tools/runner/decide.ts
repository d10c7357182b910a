// The engine's rules for turning a provider's diff into a step, as one pure function.
import { changedKeys, PROVIDER_KEY, type PropertyMap } from "./properties";
import type { DiffResult } from "./provider-host";

/** What the diff decided for a resource that already exists. */
export type Decision =
  | { kind: "same"; diffs: string[] }
  | { kind: "update"; diffs: string[] }
  | { kind: "replace"; diffs: string[]; replaces: string[]; deleteBeforeReplace: boolean };

/** Everything {@link decideStep} looks at. */
export interface DecisionInput {
  /** The provider's answer to Diff. */
  diff: DiffResult;
  /** Inputs in state and the newly checked inputs (wire form). */
  oldInputs: PropertyMap;
  newInputs: PropertyMap;
  /** Reasons recorded by a partial creation, if any. */
  initErrors: string[];
  /** The `replaceOnChanges` resource option (`"*"` means every property). */
  replaceOnChanges: string[];
  /** The `deleteBeforeReplace` resource option, when the program set it. */
  deleteBeforeReplaceOption?: boolean;
}

/**
 * Decides same, update or replace as the engine does:
 * - `DIFF_UNKNOWN` (a provider without `diff`): compare old and new inputs (`__provider` aside);
 * - `replaces` (or a changed `replaceOnChanges` property) means replace, delete-before-replace when
 *   the resource option says so or, without the option, when the provider's diff says so;
 * - a resource kept after a partial creation is updated even without changes, so it can finish.
 */
export function decideStep(input: DecisionInput): Decision {
  const { diff } = input;
  const changedInputs = changedKeys(withoutProvider(input.oldInputs), withoutProvider(input.newInputs));
  const changes = diff.changes === "unknown" ? (changedInputs.length > 0 ? "some" : "none") : diff.changes;
  const diffs = diff.diffs.length > 0 ? diff.diffs : changedInputs;
  const forced = changedInputs.filter(
    (key) => input.replaceOnChanges.includes(key) || input.replaceOnChanges.includes("*"),
  );
  const replaces = changes === "some" ? [...new Set([...diff.replaces, ...forced])] : [];
  if (replaces.length > 0) {
    const deleteBeforeReplace = input.deleteBeforeReplaceOption ?? diff.deleteBeforeReplace;
    return { kind: "replace", diffs, replaces, deleteBeforeReplace };
  }
  if (changes === "some" || input.initErrors.length > 0) {
    return { kind: "update", diffs };
  }
  return { kind: "same", diffs: [] };
}

/** A property bag without the serialized provider, which the engine's own comparison ignores. */
export function withoutProvider(map: PropertyMap): PropertyMap {
  const { [PROVIDER_KEY]: _provider, ...rest } = map;
  return rest;
}
