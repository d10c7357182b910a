/**
 * `diff`: one table of fields, each saying how a change is applied while the session is a draft and
 * after it has been activated, not a chain of `if`s. Old values come from the state's outputs (the inputs as
 * applied plus what Graph last reported), new values from `check`.
 */
import {
  isTerminalSessionStatus,
  type GranularArtifactInput,
  type KindSchema,
  type RestoreSessionStatus,
  type SessionInputs,
  type SessionSpec,
  type StandardArtifactInput,
} from "../../model";
import { artifactValue } from "../session/artifactIdentity";
import { observedStatus } from "../session/outputs";
import { canonicalJson, toSpec } from "../session/spec";

/** How a change to a field is applied. `ignore` never reaches Graph and needs no update either. */
export type ChangeEffect = "update" | "replace" | "ignore";

/** One row of the diff table. */
export interface DiffField {
  /** The property reported to the engine. */
  readonly property: (schema: KindSchema) => string;
  readonly changed: (olds: SessionSpec, news: SessionSpec, schema: KindSchema) => boolean;
  /** Effect while the session is a draft (PATCH, activate and POST bulk are allowed). */
  readonly whileDraft: (schema: KindSchema, olds: SessionSpec, news: SessionSpec) => ChangeEffect;
  /** Effect once the session has been activated: nothing about what is restored can change. */
  readonly afterActivation: (news: SessionSpec) => ChangeEffect;
}

function setOf(list: (StandardArtifactInput | GranularArtifactInput)[]): string {
  return canonicalJson(list.map(artifactValue).sort());
}

/**
 * A draft can take artifact deltas in its own style only: an empty session is `standard` (and may get
 * a bulk request), and Graph fixes the job type at creation.
 */
function sameStyleOrFromEmpty(olds: SessionSpec, news: SessionSpec): boolean {
  if (olds.style === news.style || news.style === "empty") {
    return olds.style !== "bulk";
  }
  return olds.style === "empty" && (news.style === "standard" || news.style === "bulk");
}

/** The keys of the spec compared as plain values. */
type PlainKey =
  | "conflictBehavior"
  | "waitForCompletion"
  | "artifactOutputs"
  | "completionTimeoutMinutes"
  | "importSessionId";

/** A row for a field compared as a plain value, whose change has one effect, activated or not. */
function plainField(key: PlainKey, effect: ChangeEffect): DiffField {
  return {
    property: () => key,
    changed: (olds, news) => olds[key] !== news[key],
    whileDraft: () => effect,
    afterActivation: () => effect,
  };
}

/** The table. Order is the order changes are reported in. */
export const DIFF_TABLE: readonly DiffField[] = [
  {
    property: (schema) => schema.standardProperty,
    changed: (olds, news) => setOf(olds.standard) !== setOf(news.standard),
    whileDraft: (_schema, olds, news) => (sameStyleOrFromEmpty(olds, news) ? "update" : "replace"),
    afterActivation: () => "replace",
  },
  {
    property: (schema) => schema.granularProperty,
    changed: (olds, news) => setOf(olds.granular) !== setOf(news.granular),
    // Graph documents no @delta for granular mailbox artifacts: those change only by a new session.
    whileDraft: (schema, olds, news) =>
      schema.granularShape === "browseItem" && olds.style === "granular" && news.style !== "bulk"
        ? "update"
        : "replace",
    afterActivation: () => "replace",
  },
  {
    property: (schema) => schema.bulkProperty,
    changed: (olds, news) => canonicalJson(olds.bulk) !== canonicalJson(news.bulk),
    // A bulk request can be added to an empty draft; it cannot be changed or removed (no PATCH on bulk sessions).
    whileDraft: (_schema, olds, news) =>
      olds.style === "empty" && news.style === "bulk" ? "update" : "replace",
    afterActivation: () => "replace",
  },
  plainField("conflictBehavior", "replace"),
  {
    property: () => "triggers",
    changed: (olds, news) => canonicalJson(olds.triggers) !== canonicalJson(news.triggers),
    whileDraft: () => "replace",
    afterActivation: () => "replace",
  },
  {
    property: () => "activate",
    changed: (olds, news) => olds.activate !== news.activate,
    // false -> true activates the draft. true -> false is refused by check unless triggers change.
    whileDraft: (_schema, _olds, news) => (news.activate ? "update" : "ignore"),
    // Activated already (possibly out of band): writing activate: true now changes nothing.
    afterActivation: (news) => (news.activate ? "ignore" : "replace"),
  },
  // Changing how long `up` waits is stored by an update that makes no Graph writes (it may poll).
  plainField("waitForCompletion", "update"),
  // Which artifacts the outputs list: the session is read again, nothing is written to Graph.
  plainField("artifactOutputs", "update"),
  plainField("completionTimeoutMinutes", "update"),
  // Used by create only (the session it takes over is then the resource's id): never a change.
  plainField("importSessionId", "ignore"),
];

export interface SessionDiff {
  changes: boolean;
  replaces: string[];
  /** Properties that take an in-place update (for messages and tests). */
  updates: string[];
}

/**
 * Compares the state (`olds`: outputs) with the checked inputs (`news`). Besides field changes, work
 * left over from an earlier `up` counts as an update: activation not yet done (a create that failed
 * after the session existed), or waiting for completion not yet finished (a timeout last time).
 */
export function diffSession(
  schema: KindSchema,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): SessionDiff {
  const oldSpec = toSpec(schema, olds as SessionInputs);
  const newSpec = toSpec(schema, news as SessionInputs);
  const status = observedStatus(olds);
  const draft = status === "draft";
  const replaces: string[] = [];
  const updates: string[] = [];
  for (const field of DIFF_TABLE) {
    if (!field.changed(oldSpec, newSpec, schema)) {
      continue;
    }
    const effect = draft ? field.whileDraft(schema, oldSpec, newSpec) : field.afterActivation(newSpec);
    if (effect === "replace") replaces.push(field.property(schema));
    if (effect === "update") updates.push(field.property(schema));
  }
  if (replaces.length === 0) {
    updates.push(...pendingWork(status, newSpec).filter((property) => !updates.includes(property)));
  }
  return { changes: replaces.length > 0 || updates.length > 0, replaces, updates };
}

function pendingWork(status: RestoreSessionStatus, news: SessionSpec): string[] {
  if (!news.activate) {
    return [];
  }
  if (status === "draft") {
    return ["activate"];
  }
  return news.waitForCompletion && !isTerminalSessionStatus(status) ? ["status"] : [];
}

/** Which artifact style `news` declares, read from which property it sets (its values may be unknown). */
function declaredStyle(schema: KindSchema, news: Record<string, unknown>): SessionSpec["style"] {
  if (news[schema.bulkProperty] !== undefined) return "bulk";
  if (news[schema.granularProperty] !== undefined) return "granular";
  if (news[schema.standardProperty] !== undefined) return "standard";
  return "empty";
}

/**
 * The diff at preview when some of `news` is unknown (`unknownKeys`), agreeing with what apply will
 * do: the known properties are diffed as usual, and each unknown one takes the effect its row of
 * {@link DIFF_TABLE} gives for a change, with the style read from which property is set. So unknown
 * `triggers` or `conflictBehavior` replace, as apply does, and unknown artifacts on a draft update only
 * when apply could update them. `activate` is taken as true: check refuses true -> false on an
 * activated session unless `triggers` change, which replace anyway.
 */
export function diffWithUnknowns(
  schema: KindSchema,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  unknownKeys: readonly string[],
): SessionDiff {
  const known: Record<string, unknown> = { ...news };
  for (const key of unknownKeys) {
    if (olds[key] === undefined) delete known[key];
    else known[key] = olds[key];
  }
  const result = diffSession(schema, olds, known);
  const oldSpec = toSpec(schema, olds as SessionInputs);
  const assumed: SessionSpec = {
    ...toSpec(schema, known as SessionInputs),
    style: declaredStyle(schema, news),
    activate: true,
  };
  const draft = observedStatus(olds) === "draft";
  const replaces = [...result.replaces];
  const updates = [...result.updates];
  for (const field of DIFF_TABLE) {
    const property = field.property(schema);
    if (!unknownKeys.includes(property)) continue;
    const effect = draft ? field.whileDraft(schema, oldSpec, assumed) : field.afterActivation(assumed);
    if (effect === "replace" && !replaces.includes(property)) replaces.push(property);
    if (effect === "update" && !updates.includes(property)) updates.push(property);
  }
  // An unknown key the table does not know (a typo check will name at up): a change of unknown effect.
  const tableKeys = DIFF_TABLE.map((field) => field.property(schema));
  const strays = unknownKeys.filter((key) => !tableKeys.includes(key));
  if (strays.length > 0 && !draft) replaces.push(...strays.filter((key) => !replaces.includes(key)));
  return {
    changes: replaces.length > 0 || updates.length > 0 || strays.length > 0,
    replaces,
    updates,
  };
}
