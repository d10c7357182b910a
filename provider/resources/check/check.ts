/**
 * `check`: validates everything that can be known before calling Graph, and normalizes the inputs so
 * that `diff` compares like with like. Every failure names the property path and the fix.
 */
import { describe, Failures, type CheckFailure } from "../../checkFailure";
import {
  ARTIFACT_OUTPUTS_MODES,
  ARTIFACTS_PER_REQUEST,
  type ArtifactOutputsMode,
  type ConflictBehavior,
  type GranularArtifactInput,
  type JsonValue,
  type KindSchema,
  type SessionSpec,
  type StandardArtifactInput,
} from "../../model";
import type { GraphApiVersion } from "../../settings";
import { checkBrowseArtifact, checkMailboxSearchArtifact, checkStandardArtifact } from "./artifacts";
import { checkBulkRequest } from "./bulk";
import { checkImportSessionId, checkNoReplacementTakeOver } from "./importSessionId";
import { checkGranularSelector } from "./granular";
import { looksLikeGranularSelector } from "../session/granularSelectors";
import { artifactIdentity } from "../session/artifactIdentity";
import {
  DEFAULT_COMPLETION_TIMEOUT_MINUTES,
  fromSpec,
  jsonEqual,
  sortArtifacts,
  withoutProvider,
} from "../session/spec";

/** The placeholder the engine sends for values not known during preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const CONFLICT_BEHAVIORS: readonly ConflictBehavior[] = ["fail", "replace", "rename"];
/** A week: longer than any restore Graph documents, short enough to catch a unit mistake (hours vs minutes). */
const MAX_COMPLETION_TIMEOUT_MINUTES = 7 * 24 * 60;

export interface CheckOutcome {
  /** The normalized inputs; when there are failures, the inputs as given. */
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
}

/** True when a value is, or contains, the engine's unknown placeholder (preview of unresolved outputs). */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(containsUnknown);
  }
  if (typeof value === "object" && value !== null) {
    return Object.values(value).some(containsUnknown);
  }
  return false;
}

/**
 * Validates and normalizes the inputs of one session.
 *
 * @param olds - the inputs last applied (empty on create), for the rules about changes.
 * @param news - the inputs the program declares now.
 */
export function checkSession(
  schema: KindSchema,
  apiVersion: GraphApiVersion,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): CheckOutcome {
  const given = withoutProvider(news);
  if (containsUnknown(given)) {
    // Preview with values that are not known yet: validate again when they are (at `up`).
    return { inputs: given, failures: [] };
  }
  const failures = new Failures();
  const allowed = [
    schema.standardProperty,
    schema.granularProperty,
    schema.bulkProperty,
    "activate",
    "waitForCompletion",
    "completionTimeoutMinutes",
    "triggers",
    "artifactOutputs",
    "importSessionId",
    ...(schema.supportsConflictBehavior ? ["conflictBehavior"] : []),
  ];
  checkKnownPropertiesTop(failures, schema, given, allowed);
  const spec = checkSpec(failures, schema, apiVersion, given);
  checkSessionRules(failures, schema, spec);
  checkActivateNotUndone(failures, olds, spec);
  checkNoReplacementTakeOver(failures, olds, spec);
  return failures.empty
    ? { inputs: fromSpec(schema, spec), failures: [] }
    : { inputs: given, failures: failures.list };
}

function checkKnownPropertiesTop(
  failures: Failures,
  schema: KindSchema,
  given: Record<string, unknown>,
  allowed: string[],
): void {
  if (given.conflictBehavior !== undefined && !schema.supportsConflictBehavior) {
    failures.add(
      "conflictBehavior",
      `conflictBehavior is not documented for ${schema.typeName}; Graph supports it only on SharePoint and OneDrive granular sessions. Remove it.`,
    );
    delete given.conflictBehavior;
  }
  for (const key of Object.keys(given).filter((k) => !allowed.includes(k))) {
    failures.add(
      key,
      `Unknown property "${key}" on ${schema.typeName}; remove it or use one of: ${allowed.join(", ")}.`,
    );
  }
}

function checkSpec(
  failures: Failures,
  schema: KindSchema,
  apiVersion: GraphApiVersion,
  given: Record<string, unknown>,
): SessionSpec {
  return {
    style: "empty",
    standard: checkList(failures, schema.standardProperty, given[schema.standardProperty], (path, item) =>
      checkStandardArtifact(failures, path, schema.kind, item),
    ),
    granular: checkList<GranularArtifactInput>(
      failures,
      schema.granularProperty,
      given[schema.granularProperty],
      (path, item) =>
        looksLikeGranularSelector(item)
          ? checkGranularSelector(failures, path, schema, apiVersion, item as object)
          : schema.granularShape === "browseItem"
            ? checkBrowseArtifact(failures, path, apiVersion, item)
            : checkMailboxSearchArtifact(failures, path, item),
    ),
    bulk:
      given[schema.bulkProperty] === undefined || given[schema.bulkProperty] === null
        ? null
        : checkBulkRequest(failures, schema.bulkProperty, schema, given[schema.bulkProperty]),
    conflictBehavior: checkConflictBehavior(failures, apiVersion, given.conflictBehavior),
    activate: checkBoolean(failures, "activate", given.activate),
    waitForCompletion: checkBoolean(failures, "waitForCompletion", given.waitForCompletion),
    completionTimeoutMinutes: checkTimeout(failures, given.completionTimeoutMinutes),
    triggers: given.triggers === undefined || given.triggers === null ? null : (given.triggers as JsonValue),
    artifactOutputs: checkArtifactOutputs(failures, given.artifactOutputs),
    ...optional("importSessionId", checkImportSessionId(failures, given.importSessionId)),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function checkArtifactOutputs(failures: Failures, value: unknown): ArtifactOutputsMode {
  if (value === undefined || value === null) {
    return "all";
  }
  const mode = ARTIFACT_OUTPUTS_MODES.find((candidate) => candidate === value);
  if (mode === undefined) {
    failures.add(
      "artifactOutputs",
      `artifactOutputs must be "all" (every artifact in the outputs) or "failedOnly" (only the failed ones, ` +
        `for large restores), got ${describe(value)}${typeof value === "string" ? ` ("${value.slice(0, 40)}")` : ""}.`,
    );
    return "all";
  }
  return mode;
}

function checkList<T extends StandardArtifactInput | GranularArtifactInput>(
  failures: Failures,
  property: string,
  value: unknown,
  checkItem: (path: string, item: unknown) => T,
): T[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    failures.add(property, `${property} must be a list of artifacts, got ${describe(value)}.`);
    return [];
  }
  const items = value.map((item: unknown, index) => checkItem(`${property}[${index}]`, item));
  const firstIndex = new Map<string, number>();
  items.forEach((item, index) => {
    const identity = artifactIdentity(item);
    const first = firstIndex.get(identity);
    if (first === undefined) {
      firstIndex.set(identity, index);
    } else {
      failures.add(
        `${property}[${index}]`,
        `Duplicate of ${property}[${first}] (the same artifact, compared without case or order); remove one of them.`,
      );
    }
  });
  return sortArtifacts(items);
}

function checkBoolean(failures: Failures, property: string, value: unknown): boolean {
  if (value === undefined || value === null) {
    return false;
  }
  if (typeof value !== "boolean") {
    failures.add(property, `${property} must be true or false, got ${describe(value)}.`);
    return false;
  }
  return value;
}

function checkTimeout(failures: Failures, value: unknown): number {
  if (value === undefined || value === null) {
    return DEFAULT_COMPLETION_TIMEOUT_MINUTES;
  }
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value <= 0 ||
    value > MAX_COMPLETION_TIMEOUT_MINUTES
  ) {
    failures.add(
      "completionTimeoutMinutes",
      `completionTimeoutMinutes must be a number of minutes above 0 and at most ${MAX_COMPLETION_TIMEOUT_MINUTES}, got ${describe(value)}${typeof value === "number" ? ` (${value})` : ""}.`,
    );
    return DEFAULT_COMPLETION_TIMEOUT_MINUTES;
  }
  return value;
}

function checkConflictBehavior(
  failures: Failures,
  apiVersion: GraphApiVersion,
  value: unknown,
): ConflictBehavior | null {
  if (value === undefined || value === null) {
    return null;
  }
  if (!(CONFLICT_BEHAVIORS as unknown[]).includes(value)) {
    failures.add(
      "conflictBehavior",
      `conflictBehavior is ${describe(value)}; use "fail" (Graph's default), "replace" or "rename".`,
    );
    return null;
  }
  if (apiVersion !== "beta") {
    failures.add(
      "conflictBehavior",
      `conflictBehavior exists only in Graph beta; remove it, or set m365-backup:apiVersion to "beta".`,
    );
  }
  return value as ConflictBehavior;
}

/** Rules across properties: one artifact style, one destination type, activate needs something to restore. */
function checkSessionRules(failures: Failures, schema: KindSchema, spec: SessionSpec): void {
  const styles = [
    spec.standard.length > 0 ? schema.standardProperty : undefined,
    spec.granular.length > 0 ? schema.granularProperty : undefined,
    spec.bulk ? schema.bulkProperty : undefined,
  ].filter((style): style is string => style !== undefined);
  if (styles.length > 1) {
    for (const property of styles.slice(1)) {
      failures.add(
        property,
        `${styles.join(", ")} are mutually exclusive (Graph builds a session from one of them); keep one and move the others to another ${schema.typeName}.`,
      );
    }
  }
  spec.style = spec.bulk
    ? "bulk"
    : spec.granular.length > 0
      ? "granular"
      : spec.standard.length > 0
        ? "standard"
        : "empty";
  checkOneDestination(failures, schema, spec);
  if (spec.style === "empty" && spec.activate) {
    failures.add(
      "activate",
      `activate is true but the session restores nothing; add ${schema.standardProperty}, ${schema.granularProperty} or ${schema.bulkProperty}, or set activate to false.`,
    );
  }
  if (spec.conflictBehavior !== null && spec.style !== "granular") {
    failures.add(
      "conflictBehavior",
      `conflictBehavior applies only to granular sessions (${schema.granularProperty}); Graph rejects it on others. Remove it.`,
    );
  }
  if (schema.granularShape === "mailboxSearch" && spec.granular.length > ARTIFACTS_PER_REQUEST) {
    failures.add(
      schema.granularProperty,
      `At most ${ARTIFACTS_PER_REQUEST} granular mailbox artifacts per session (Graph documents no way to add more after create); split them over several sessions.`,
    );
  }
}

function checkOneDestination(failures: Failures, schema: KindSchema, spec: SessionSpec): void {
  const lists: [string, (StandardArtifactInput | GranularArtifactInput)[]][] = [
    [schema.standardProperty, spec.standard],
    [schema.granularProperty, spec.granular],
  ];
  for (const [property, list] of lists) {
    const destinations = new Set(
      list.map((artifact) => artifact.destinationType).filter((d) => d !== undefined),
    );
    if (destinations.size > 1) {
      failures.add(
        property,
        `${property} mixes destination types (${[...destinations].join(" and ")}); Graph restores one session to one destination type. ` +
          `Use one destinationType for every artifact, and a second ${schema.typeName} for the others.`,
      );
    }
  }
}

/** A restore cannot be undone: activate may not go from true back to false on the same session. */
function checkActivateNotUndone(failures: Failures, olds: Record<string, unknown>, spec: SessionSpec): void {
  const sameSession = jsonEqual(olds.triggers ?? null, spec.triggers);
  if (olds.activate === true && !spec.activate && sameSession) {
    failures.add(
      "activate",
      "activate was true and the session has been activated; a restore cannot be undone or deactivated. " +
        "Keep activate: true; to start a new session change triggers, or delete the resource.",
    );
  }
}
