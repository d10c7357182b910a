/**
 * The restore-session store: owns every session and its state machine (create, PATCH deltas, delete,
 * activate, bulk addition requests). Route handlers validate bodies, call one method here and render.
 */
import { randomUUID } from "node:crypto";
import { GraphServiceError } from "../../contract";
import type { EmulatorClock } from "../../clock";
import { actionNotAllowed, badRequest, isGuid, restoreSessionNotFound } from "../errors";
import type { BulkTargetRequest, Tenant } from "../tenant/types";
import { duplicateKey } from "./artifactInput";
import { KINDS, type SessionKind } from "./kinds";
import { isBusy, planTimes, schedulingDelayMs, sessionStatusAt, type Timing } from "./lifecycle";
import type { ArtifactInput, ArtifactRecord, BulkRecord, SessionRecord } from "./model";
import { decideFailure, outcomeContext, restoredLocation } from "./outcome";
import { checkOneDestination, describe, type CreateInput, type PatchInput } from "./sessionRequests";

/** What the store is built from. */
export interface StoreOptions {
  readonly tenant: Tenant;
  readonly clock: EmulatorClock;
  readonly timing: Timing;
  /** At most this many sessions may be `activating` or `active` at once (Graph: 25). */
  readonly maxActiveSessions: number;
}

/**
 * The per-artifact errors a test can script (Graph docs: backup-storage-error-codes); the others follow from
 * the tenant's state.
 */
export const SCRIPTABLE_ARTIFACT_FAILURES = ["UnknownError", "ArtifactNotFound"] as const;

/** One of {@link SCRIPTABLE_ARTIFACT_FAILURES}. */
export type ScriptedArtifactFailure = (typeof SCRIPTABLE_ARTIFACT_FAILURES)[number];

/** How one `@delta` element was applied, in request order. */
export type DeltaOutcome =
  | { readonly op: "add"; readonly artifact: ArtifactRecord }
  | { readonly op: "remove"; readonly id: string; readonly reason: string }
  | { readonly op: "missing"; readonly id: string };

/** Every restore session, keyed by lower-case id, in creation order. */
export class SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();
  private createdCount = 0;
  /** Session id (lower case) → how many more DELETEs of it stop half-way (see scriptIncompleteDeletion). */
  private readonly incompleteDeletions = new Map<string, number>();
  /** Protection unit id (lower case) → the per-artifact error its artifacts get at activation. */
  private readonly scriptedFailures = new Map<string, ScriptedArtifactFailure>();

  constructor(private readonly options: StoreOptions) {}

  /** Every session id, oldest first. */
  ids(): string[] {
    return [...this.sessions.values()].map((s) => s.id);
  }

  /** Sessions oldest first, optionally of one kind. */
  list(kind?: SessionKind): SessionRecord[] {
    return [...this.sessions.values()].filter((s) => kind === undefined || s.kind === kind);
  }

  /**
   * The session with this id (and kind, when reached through a typed collection). A malformed id is
   * `malformed(id)`; a well-formed unknown one is 404 `RestoreSessionNotFound`.
   */
  require(
    id: string,
    kind: SessionKind | undefined,
    malformed: (id: string) => GraphServiceError,
  ): SessionRecord {
    if (!isGuid(id)) {
      throw malformed(id);
    }
    const session = this.sessions.get(id.toLowerCase());
    if (session === undefined || (kind !== undefined && session.kind !== kind)) {
      throw restoreSessionNotFound(id);
    }
    return session;
  }

  create(kind: SessionKind, input: CreateInput, appId: string): SessionRecord {
    const now = this.options.clock.nowInMs();
    this.createdCount++;
    const session: SessionRecord = {
      id: randomUUID(),
      kind,
      ordinal: this.createdCount,
      jobType: input.style === "granular" ? "granular" : "standard",
      artifacts: [],
      nextArtifactOrdinal: 1,
      createdAtMs: now,
      createdBy: appId,
      lastModifiedAtMs: now,
      lastModifiedBy: appId,
    };
    if (input.conflictBehavior !== undefined) {
      session.conflictBehavior = input.conflictBehavior;
    }
    session.artifacts = input.artifacts.map((artifact) => this.newArtifact(session, artifact, now));
    this.sessions.set(session.id, session);
    return session;
  }

  /** Applies a validated `@delta`: removals first, then additions, all or nothing. */
  patch(session: SessionRecord, input: PatchInput, appId: string): DeltaOutcome[] {
    this.requireDraft(session, "updated");
    if (session.bulk !== undefined) {
      throw actionNotAllowed(
        `Restore session '${session.id}' uses a bulk addition request; its artifacts cannot be changed with PATCH.`,
      );
    }
    const current = this.checkStyle(session, input);
    const byId = new Map(session.artifacts.map((a) => [a.id.toLowerCase(), a]));
    const removed = new Set<string>();
    for (const element of input.elements) {
      const found = element.op === "remove" ? byId.get(element.id.toLowerCase()) : undefined;
      if (found !== undefined) {
        removed.add(found.id);
      }
    }
    const remaining = session.artifacts.filter((a) => !removed.has(a.id));
    const additions = input.elements.flatMap((e) => (e.op === "add" ? [e.input] : []));
    this.checkAdditions(remaining, additions, `${input.collection}@delta`);
    const now = this.options.clock.nowInMs();
    const outcomes = input.elements.map((element): DeltaOutcome => {
      if (element.op === "add") {
        return { op: "add", artifact: this.newArtifact(session, element.input, now) };
      }
      const found = byId.get(element.id.toLowerCase());
      return found
        ? { op: "remove", id: found.id, reason: element.reason }
        : { op: "missing", id: element.id };
    });
    session.artifacts = [...remaining, ...outcomes.flatMap((o) => (o.op === "add" ? [o.artifact] : []))];
    if (current === undefined && session.artifacts.length > 0) {
      session.jobType = input.style;
    }
    this.touch(session, appId, now);
    return outcomes;
  }

  /** A session's artifacts are all standard or all granular; returns the current style, if any. */
  private checkStyle(session: SessionRecord, input: PatchInput): ArtifactInput["style"] | undefined {
    const current = session.artifacts[0]?.input.style;
    const wanted = input.style === "granular" ? KINDS[session.kind].granular.style : "standard";
    if (current !== undefined && current !== wanted) {
      throw badRequest(
        "InvalidArtifactRequest",
        `Restore session '${session.id}' holds ${current === "standard" ? "standard" : "granular"} artifacts; ` +
          `${input.collection}@delta cannot mix standard and granular artifacts in one session.`,
      );
    }
    return current;
  }

  private checkAdditions(
    remaining: readonly ArtifactRecord[],
    additions: readonly ArtifactInput[],
    where: string,
  ): void {
    const present = new Map(remaining.map((a) => [duplicateKey(a.input), a]));
    for (const addition of additions) {
      const existing = present.get(duplicateKey(addition));
      if (existing !== undefined) {
        throw badRequest(
          "DuplicateArtifactInList",
          `${where} adds ${describe(addition)}, which the session already holds as artifact '${existing.id}'. ` +
            "Remove that artifact in the same request (or an earlier one) to replace it.",
        );
      }
    }
    checkOneDestination(
      [...remaining.map((a) => a.input), ...additions],
      `${where} together with the session's artifacts`,
    );
  }

  delete(session: SessionRecord): void {
    this.requireDraft(session, "deleted");
    const key = session.id.toLowerCase();
    const remaining = this.incompleteDeletions.get(key) ?? 0;
    if (remaining > 0) {
      if (remaining === 1) {
        this.incompleteDeletions.delete(key);
      } else {
        this.incompleteDeletions.set(key, remaining - 1);
      }
      // Part of the artifacts go (at least one stays, so the session is still a draft to retry on).
      const removed = Math.min(
        Math.ceil(session.artifacts.length / 2),
        Math.max(session.artifacts.length - 1, 0),
      );
      session.artifacts = session.artifacts.slice(removed);
      throw new GraphServiceError(
        500,
        "IncompleteArtifactDeletion",
        `Restore session '${session.id}' was only partly deleted: ${removed} artifact(s) were removed and ` +
          `${session.artifacts.length} could not be deleted. Retry the DELETE.`,
      );
    }
    this.sessions.delete(session.id);
  }

  /**
   * Makes the next `times` DELETEs of draft session `sessionId` remove part of its artifacts and answer
   * 500 `IncompleteArtifactDeletion` (Graph docs: restoresessionbase-delete); the DELETE after them
   * completes. A test hook: Graph gives no way to cause this on purpose.
   */
  scriptIncompleteDeletion(sessionId: string, times = 1): void {
    if (!isGuid(sessionId)) {
      throw new RangeError(`sessionId must be a restore session GUID, got '${sessionId}'`);
    }
    if (!Number.isInteger(times) || times < 0) {
      throw new RangeError(`times must be a non-negative integer, got ${times}`);
    }
    if (times === 0) {
      this.incompleteDeletions.delete(sessionId.toLowerCase());
    } else {
      this.incompleteDeletions.set(sessionId.toLowerCase(), times);
    }
  }

  /**
   * Makes every artifact of protection unit `unitId` in sessions activated from now on fail with `code`
   * (`UnknownError` or `ArtifactNotFound`, Graph docs: backup-storage-error-codes); `null` clears it. The
   * scripted failure wins over the failures the tenant's state decides (hold, duplicate, expired restore
   * point).
   */
  scriptArtifactFailure(unitId: string, code: ScriptedArtifactFailure | null): void {
    if (typeof unitId !== "string" || unitId.length === 0) {
      throw new RangeError("protectionUnitId must be a non-empty string");
    }
    if (code === null) {
      this.scriptedFailures.delete(unitId.toLowerCase());
      return;
    }
    if (!SCRIPTABLE_ARTIFACT_FAILURES.includes(code)) {
      throw new RangeError(
        `code must be one of ${SCRIPTABLE_ARTIFACT_FAILURES.join(", ")} (or null to clear), got '${String(code)}'`,
      );
    }
    this.scriptedFailures.set(unitId.toLowerCase(), code);
  }

  activate(session: SessionRecord, appId: string): void {
    this.requireDraft(session, "activated");
    if (session.artifacts.length === 0 && session.bulk === undefined) {
      throw badRequest(
        "InvalidArtifactRequest",
        `Restore session '${session.id}' has no artifacts: add at least one (or a bulk addition request) before activating it.`,
      );
    }
    const now = this.options.clock.nowInMs();
    const busy = this.list().filter((s) => isBusy(s, now)).length;
    if (busy + 1 > this.options.maxActiveSessions) {
      throw new GraphServiceError(
        500,
        "TooManyActiveRestoreSessions",
        `${busy} restore sessions are already active; at most ${this.options.maxActiveSessions} can be active at once. ` +
          "Retry after one of them completes.",
      );
    }
    if (session.bulk !== undefined) {
      this.resolveBulk(session, session.bulk, appId, now);
    }
    const scheduledAtMs = now + schedulingDelayMs(this.options.timing);
    const context = outcomeContext({
      tenant: this.options.tenant,
      seed: this.options.timing.seed,
      others: this.list().filter((other) => other !== session),
      nowMs: now,
      scripted: (unitId) => this.scriptedFailures.get(unitId.toLowerCase()),
    });
    for (const artifact of session.artifacts) {
      const times = planTimes(this.options.timing, session, artifact, scheduledAtMs);
      const failure = decideFailure(context, session, artifact, times.startAtMs);
      const restored = failure === undefined ? restoredLocation(context, session, artifact) : undefined;
      artifact.plan = { ...times, ...(failure ? { failure } : {}), ...(restored ? { restored } : {}) };
    }
    session.activatedAtMs = now;
    session.scheduledAtMs = scheduledAtMs;
    this.touch(session, appId, now);
  }

  /** Bulk requests: one per draft session that has no manual artifacts. */
  addBulk(session: SessionRecord, fields: Readonly<Record<string, unknown>>, appId: string): BulkRecord {
    this.requireDraft(session, "given a bulk addition request");
    if (session.bulk !== undefined) {
      throw badRequest(
        "BulkRestoreInvalidCreateRequest",
        `Restore session '${session.id}' already has bulk addition request '${session.bulk.id}'; one is allowed per session.`,
      );
    }
    if (session.artifacts.length > 0) {
      throw badRequest(
        "BulkRestoreInvalidCreateRequest",
        `Restore session '${session.id}' already holds artifacts added by hand; a session cannot mix manual and bulk addition.`,
      );
    }
    const now = this.options.clock.nowInMs();
    const bulk: BulkRecord = {
      id: randomUUID(),
      fields,
      status: "active",
      createdAtMs: now,
      createdBy: appId,
      lastModifiedAtMs: now,
      lastModifiedBy: appId,
      deleted: false,
    };
    session.bulk = bulk;
    session.jobType = "bulk";
    this.touch(session, appId, now);
    return bulk;
  }

  requireBulk(session: SessionRecord, bulkId: string): BulkRecord {
    const bulk = session.bulk;
    if (bulk === undefined || bulk.deleted || bulk.id.toLowerCase() !== bulkId.toLowerCase()) {
      throw new GraphServiceError(
        404,
        "BulkRestoreArtifactsNotFound",
        `Restore session '${session.id}' has no bulk addition request '${bulkId}'.`,
      );
    }
    return bulk;
  }

  deleteBulk(bulk: BulkRecord): void {
    if (bulk.status !== "completed" && bulk.status !== "completedWithErrors") {
      throw new GraphServiceError(
        403,
        "InvalidStateForBulkRequestDeletion",
        `Bulk addition request '${bulk.id}' is '${bulk.status}'; it can be deleted only when completed or completedWithErrors.`,
      );
    }
    bulk.deleted = true;
  }

  private resolveBulk(session: SessionRecord, bulk: BulkRecord, appId: string, now: number): void {
    const resolution = this.options.tenant.resolveBulkTargets(session.kind, bulkTargets(bulk.fields));
    const destinationType = bulk.fields["destinationType"] === "inPlace" ? "inPlace" : "new";
    session.artifacts = resolution.points.map((point) =>
      this.newArtifact(
        session,
        { style: "standard", unitId: point.unitId, restorePointId: point.id, destinationType },
        now,
      ),
    );
    bulk.status = resolution.unresolved.length === 0 ? "completed" : "completedWithErrors";
    if (resolution.unresolved.length > 0) {
      bulk.error = {
        code: "ArtifactNotFound",
        message: `${resolution.unresolved.length} of the request's resources could not be resolved to a restore point.`,
        details: resolution.unresolved.map((u) => ({
          code: "ArtifactNotFound",
          message: u.reason,
          target: u.input,
        })),
      };
    }
    bulk.lastModifiedAtMs = now;
    bulk.lastModifiedBy = appId;
  }

  private newArtifact(session: SessionRecord, input: ArtifactInput, now: number): ArtifactRecord {
    const ordinal = session.nextArtifactOrdinal++;
    return {
      id: input.style === "browseItem" ? input.itemKey : randomUUID(),
      ordinal,
      input,
      createdAtMs: now,
    };
  }

  private requireDraft(session: SessionRecord, action: string): void {
    const status = sessionStatusAt(session, this.options.clock.nowInMs());
    if (status !== "draft") {
      throw actionNotAllowed(
        `Restore session '${session.id}' is '${status}'; only a draft session can be ${action}.`,
      );
    }
  }

  private touch(session: SessionRecord, appId: string, now: number): void {
    session.lastModifiedAtMs = now;
    session.lastModifiedBy = appId;
  }
}

/** The validated bulk fields the tenant needs to resolve targets into restore points. */
function bulkTargets(fields: Readonly<Record<string, unknown>>): BulkTargetRequest {
  const strings = (name: string): string[] | undefined => fields[name] as string[] | undefined;
  const text = (name: string): string | undefined => fields[name] as string | undefined;
  return {
    mailboxes: strings("mailboxes"),
    directoryObjectIds: strings("directoryObjectIds"),
    siteWebUrls: strings("siteWebUrls"),
    siteIds: strings("siteIds"),
    drives: strings("drives"),
    protectionTimePeriod: fields["protectionTimePeriod"] as BulkTargetRequest["protectionTimePeriod"],
    restorePointPreference: text("restorePointPreference"),
    tags: text("tags"),
  };
}
