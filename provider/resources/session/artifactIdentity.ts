/**
 * What identifies an artifact, and when an artifact of a Graph session is a declared one. Every
 * comparison of artifacts in the provider starts here:
 *
 * - **Declared against declared** ({@link artifactIdentity}, {@link artifactValue}): duplicates in
 *   `check`, and what `diff` and `update` compare. Selectors compare as written (unit, time,
 *   preference), never by what they resolved to, so newer restore points cause no drift.
 * - **Declared against Graph**: both sides are read into the same {@link ArtifactFacts}
 *   ({@link declaredFacts}, {@link sessionFacts}), then one of three rules decides
 *   ({@link ARTIFACT_RULES}). They differ on purpose, each as strict as its use needs: finding what to
 *   remove from our own draft, adopting a draft a lost POST may have made, and taking over a session
 *   the user named. {@link pairArtifacts} pairs two lists under a rule, each session artifact used once.
 */
import type {
  ArtifactSelector,
  GranularArtifactInput,
  GranularRestoreArtifact,
  RestoreArtifact,
  SessionArtifact,
  StandardArtifactInput,
} from "../../model";
import { granularSelectorIdentity, isGranularSelector } from "./granularSelectors";
import { normalizeId } from "./validators";

/** Any declared artifact: standard or granular, selector or not. */
export type AnyArtifactInput = StandardArtifactInput | GranularArtifactInput;

export function isSelectorArtifact(artifact: StandardArtifactInput): artifact is ArtifactSelector {
  return !("restorePoint" in artifact);
}

// ---- Declared against declared -------------------------------------------------------------------------

/** What makes two declared artifacts the same restore (duplicates): not the destination. */
export function artifactIdentity(artifact: AnyArtifactInput): string {
  if (isGranularSelector(artifact)) {
    return granularSelectorIdentity(artifact);
  }
  if ("browseSessionId" in artifact) {
    return `item:${artifact.browseSessionId}|${artifact.id}`;
  }
  if ("searchResponseId" in artifact) {
    return `search:${artifact.restorePoint.id}|${artifact.searchResponseId}`;
  }
  if (!isSelectorArtifact(artifact)) {
    return `restorePoint:${artifact.restorePoint.id}`;
  }
  const target =
    artifact.mailbox !== undefined
      ? `mailbox=${artifact.mailbox}`
      : artifact.siteWebUrl !== undefined
        ? `siteWebUrl=${artifact.siteWebUrl}`
        : artifact.oneDriveOwner !== undefined
          ? `oneDriveOwner=${artifact.oneDriveOwner}`
          : `protectionUnitId=${artifact.protectionUnitId ?? ""}`;
  return `selector:${target}@${artifact.restorePointTime}/${artifact.restorePointPreference}/${artifact.tags ?? ""}`;
}

/** What a diff compares: identity plus destination. Resolved ids recorded in state are not part of it. */
export function artifactValue(artifact: AnyArtifactInput): string {
  return `${artifactIdentity(artifact)}#${artifact.destinationType ?? ""}`;
}

// ---- Declared against Graph ----------------------------------------------------------------------------

/** The restore point an input stands for (resolved selectors included); undefined for browse items. */
export function restorePointOf(artifact: AnyArtifactInput): string | undefined {
  if ("browseSessionId" in artifact || isGranularSelector(artifact)) {
    return undefined;
  }
  if (!("restorePoint" in artifact)) {
    return artifact.resolvedRestorePointId === undefined
      ? undefined
      : normalizeId(artifact.resolvedRestorePointId);
  }
  return normalizeId(artifact.restorePoint.id);
}

/** One artifact, declared or in a session, as the rules compare it. Ids are normalized. */
export interface ArtifactFacts {
  /** Set for a browse item only. */
  readonly browseSessionId?: string;
  /** A browse item's key, which Graph uses as the artifact id; a session artifact's id. */
  readonly id?: string;
  /** Undefined when not known: a browse item, an unresolved selector, a session artifact without one. */
  readonly restorePointId?: string;
  /** Set for a granular mailbox artifact only. */
  readonly searchResponseId?: string;
  /** Undefined when the program wrote none (a browse item under v1.0) or Graph reported none. */
  readonly destinationType?: string;
}

/** A declared artifact's facts (selectors resolved first, else they have no restore point). */
export function declaredFacts(artifact: AnyArtifactInput): ArtifactFacts {
  if ("browseSessionId" in artifact) {
    return {
      browseSessionId: artifact.browseSessionId,
      id: normalizeId(artifact.id),
      destinationType: artifact.destinationType,
    };
  }
  return {
    restorePointId: restorePointOf(artifact),
    searchResponseId: "searchResponseId" in artifact ? artifact.searchResponseId : undefined,
    destinationType: artifact.destinationType,
  };
}

/** A session artifact's facts, from what Graph reported. */
export function sessionFacts(artifact: SessionArtifact): ArtifactFacts {
  const record = artifact as RestoreArtifact & GranularRestoreArtifact;
  const restorePoint = record.restorePoint?.id;
  return {
    browseSessionId: record.browseSessionId,
    id: normalizeId(artifact.id),
    restorePointId: typeof restorePoint === "string" ? normalizeId(restorePoint) : undefined,
    searchResponseId: record.searchResponseId,
    destinationType: record.destinationType,
  };
}

/** An artifact in words, for messages: what is restored and where to. */
export function describeArtifact(facts: ArtifactFacts): string {
  const restorePoint = facts.restorePointId ?? "?";
  if (facts.browseSessionId !== undefined) {
    // A browse item that names no destination is restored to a new location (v1.0 has no such field).
    return `browse item ${facts.id} of browse session ${facts.browseSessionId} to ${facts.destinationType ?? "new"}`;
  }
  const destination = facts.destinationType ?? "an unreported destination";
  return facts.searchResponseId !== undefined
    ? `search response ${facts.searchResponseId} of restore point ${restorePoint} to ${destination}`
    : `restore point ${restorePoint} to ${destination}`;
}

/** Whether a session artifact (`actual`) is a declared one (`declared`). */
export type ArtifactRule = (declared: ArtifactFacts, actual: ArtifactFacts) => boolean;

const sameRestorePoint = (declared: ArtifactFacts, actual: ArtifactFacts): boolean =>
  actual.restorePointId !== undefined && actual.restorePointId === declared.restorePointId;

/** The three rules, loosest first. */
export const ARTIFACT_RULES = {
  /**
   * Removal and re-adding on our own draft (`update`, a create's fill): a browse item by its key, any
   * other by restore point, and by destination when Graph reports one.
   */
  ownDraft: (declared, actual) =>
    declared.browseSessionId !== undefined
      ? actual.id === declared.id
      : sameRestorePoint(declared, actual) &&
        (actual.destinationType === undefined || actual.destinationType === declared.destinationType),
  /**
   * Adoption of a session no id says is ours (docs/exactly-once.md, "Search-adoption"): as above, and
   * the destination must be the same (for a browse item, when the program wrote one), and a mail
   * search artifact's search response too.
   */
  adoption: (declared, actual) =>
    declared.browseSessionId !== undefined
      ? actual.id === declared.id &&
        (declared.destinationType === undefined || actual.destinationType === declared.destinationType)
      : sameRestorePoint(declared, actual) &&
        actual.destinationType === declared.destinationType &&
        (declared.searchResponseId === undefined || actual.searchResponseId === declared.searchResponseId),
  /**
   * Take-over of a session the user named (`importSessionId`): everything that is in the words of
   * {@link describeArtifact} agrees, browse session and search response included. A browse item's
   * unwritten or unreported destination is `new`; any other artifact's unreported destination
   * matches none that is declared, so an in-place session is never taken over unless the program says
   * in place.
   */
  takeOver: (declared, actual) => describeArtifact(declared) === describeArtifact(actual),
} as const satisfies Record<string, ArtifactRule>;

/** How a declared list and a session's artifacts pair up under a rule. */
export interface ArtifactPairing<T> {
  /** Declared artifacts with their session artifact's id. */
  readonly matched: { declared: T; id: string }[];
  /** Declared artifacts the session does not hold, in declared order. */
  readonly missing: T[];
  /** Session artifacts no declared one took, in the session's order. */
  readonly extra: SessionArtifact[];
}

/**
 * Pairs each declared artifact with the first session artifact not yet taken that the rule accepts,
 * so every session artifact answers for one declared artifact at most.
 */
export function pairArtifacts<T extends AnyArtifactInput>(
  declared: readonly T[],
  actual: readonly SessionArtifact[],
  rule: ArtifactRule,
): ArtifactPairing<T> {
  const facts = actual.map(sessionFacts);
  const taken = new Set<number>();
  const matched: { declared: T; id: string }[] = [];
  const missing: T[] = [];
  for (const artifact of declared) {
    const wanted = declaredFacts(artifact);
    const index = facts.findIndex((candidate, i) => !taken.has(i) && rule(wanted, candidate));
    if (index < 0) {
      missing.push(artifact);
      continue;
    }
    taken.add(index);
    matched.push({ declared: artifact, id: actual[index].id });
  }
  return { matched, missing, extra: actual.filter((_, i) => !taken.has(i)) };
}
