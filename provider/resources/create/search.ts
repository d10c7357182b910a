/**
 * Finding sessions by what they hold, when no id says which one is ours (docs/exactly-once.md,
 * "Search-adoption"). Two uses, with different rules:
 *
 * - **Adoption** after a create POST whose answer was lost (no id known): only a draft of this kind,
 *   made by our app id, created at or after the POST was sent (by Graph's clock, measured from its
 *   `Date` headers), holding exactly the artifacts the POST carried, destinations included.
 * - **Before a POST** with no journal evidence: sessions of this kind (and app, when known) that hold
 *   exactly the declared artifacts. A running one stops the create; drafts are named as possible
 *   orphans and left alone.
 */
import { listRestoreSessions } from "../../graph/backupRestore";
import type { RestoreSession, SessionArtifact } from "../../model";
import { ARTIFACT_RULES, pairArtifacts, type AnyArtifactInput } from "../session/artifactIdentity";
import type { SessionContext } from "../session/context";
import { listSessionArtifacts } from "../session/observe";

/** Allowance for the one-second resolution of Graph's `Date` header. */
export const DATE_HEADER_RESOLUTION_IN_MS = 1_000;

/**
 * How `actual` relates to `wanted` under the adoption rule (same restore point or item, same
 * destination), each session artifact used once: `exact` (the same set), `part` (every actual one is
 * wanted, some wanted are missing), or `other`.
 */
export function compareArtifacts(
  wanted: AnyArtifactInput[],
  actual: SessionArtifact[],
): "exact" | "part" | "other" {
  const { missing, extra } = pairArtifacts(wanted, actual, ARTIFACT_RULES.adoption);
  if (extra.length > 0) return "other";
  return missing.length === 0 ? "exact" : "part";
}

function isOfThisKind(ctx: SessionContext, session: RestoreSession): boolean {
  return session["@odata.type"]?.toLowerCase() === ctx.schema.odataType.toLowerCase();
}

function isByApp(session: RestoreSession, appId: string | undefined): boolean {
  return appId === undefined || session.createdBy?.application?.id?.toLowerCase() === appId.toLowerCase();
}

/**
 * The earliest `createdDateTime` (Graph's clock) a session made by a request we sent at `sentAt` (our
 * clock) can carry: our time, moved by the measured offset of Graph's clock, less the `Date` header's
 * resolution. Without a measurement yet, the offset is taken as zero.
 */
export function earliestCreation(ctx: SessionContext, sentAt: Date): number {
  const offset = ctx.client.clockSkew()?.offsetInMs ?? 0;
  return sentAt.getTime() + offset - DATE_HEADER_RESOLUTION_IN_MS;
}

/** The sessions of this kind (by `appId`, when given) whose artifacts relate to `wanted` as `fits` asks. */
async function sessionsHolding(
  ctx: SessionContext,
  wanted: AnyArtifactInput[],
  appId: string | undefined,
  keep: (session: RestoreSession) => boolean,
): Promise<RestoreSession[]> {
  const style = wanted.some((a) => "browseSessionId" in a || "searchResponseId" in a)
    ? "granular"
    : "standard";
  const found: RestoreSession[] = [];
  for await (const session of listRestoreSessions(ctx.client)) {
    if (!isOfThisKind(ctx, session) || !isByApp(session, appId) || !keep(session)) continue;
    const total = session.restoreSessionArtifactCount?.total;
    if (total !== undefined && total !== wanted.length) continue;
    if (compareArtifacts(wanted, await listSessionArtifacts(ctx, session, style)) === "exact") {
      found.push(session);
    }
  }
  return found;
}

/**
 * Drafts the POST sent at `sentAt` with `sent` could have made. Only with a known app id; with none,
 * the caller must not adopt (see {@link findLookalikes}).
 */
export async function findOurDraft(
  ctx: SessionContext,
  appId: string,
  sentAt: Date,
  sent: AnyArtifactInput[],
): Promise<RestoreSession[]> {
  // The listing's own Date header measures the skew when nothing else has yet.
  const sessions = await sessionsHolding(ctx, sent, appId, (session) => session.status === "draft");
  const earliest = earliestCreation(ctx, sentAt);
  return sessions.filter((session) => {
    const created = Date.parse(session.createdDateTime ?? "");
    return Number.isFinite(created) && created >= earliest;
  });
}

/**
 * When this process started, in ms on our clock. The provider host is started per CLI command, so a
 * session created before it cannot be one this command made: that is what the search before a POST
 * looks for (a create of an earlier, interrupted run whose journal was lost).
 */
const PROCESS_STARTED_IN_MS = Date.now() - process.uptime() * 1000;

/** What the search before a POST found: sessions made before this process that look like this resource's. */
export interface Lookalikes {
  /** Running (`activating`/`active`) and holding exactly the declared artifacts and destinations. */
  readonly running: RestoreSession[];
  /** Drafts holding exactly, or a part of, the declared artifacts: what an interrupted create leaves. */
  readonly drafts: RestoreSession[];
}

/**
 * How long one listing of the sessions made before this process started serves the creates of this
 * process. Those sessions are all in it (none can be added later); only their status moves, and a
 * minute is as stale as a "still running" is trusted to be.
 */
const EARLIER_LISTING_TTL_IN_MS = 60_000;

/** Drafts and running sessions made before this process started, and their artifacts once read. */
interface EarlierListing {
  readonly atInMs: number;
  readonly sessions: Promise<RestoreSession[]>;
  readonly artifacts: Map<string, Promise<SessionArtifact[]>>;
}

/**
 * Process state on purpose, like the token cache: the provider host runs one Pulumi command and loads
 * this module by path (it is never serialized into state), so every create of a 25-session drill shares
 * one listing instead of paging through the tenant's sessions 25 times.
 */
const earlierListings = new Map<string, EarlierListing>();

function earlierListing(ctx: SessionContext): EarlierListing {
  const { graphEndpoint, apiVersion, tenantId, clientId } = ctx.settings;
  const key = [graphEndpoint, apiVersion, tenantId ?? "", clientId ?? ""].join("\n");
  const nowInMs = ctx.timing.nowInMs();
  const cached = earlierListings.get(key);
  if (cached !== undefined && nowInMs - cached.atInMs < EARLIER_LISTING_TTL_IN_MS) return cached;
  const sessions = (async (): Promise<RestoreSession[]> => {
    const found: RestoreSession[] = [];
    for await (const session of listRestoreSessions(ctx.client)) {
      // Graph's clock, less the Date header's resolution: a session made by this process is never older.
      const before =
        PROCESS_STARTED_IN_MS + (ctx.client.clockSkew()?.offsetInMs ?? 0) + DATE_HEADER_RESOLUTION_IN_MS;
      const created = Date.parse(session.createdDateTime ?? "");
      if (Number.isFinite(created) && created >= before) continue;
      if (session.status === "draft" || session.status === "activating" || session.status === "active") {
        found.push(session);
      }
    }
    return found;
  })();
  const entry: EarlierListing = { atInMs: nowInMs, sessions, artifacts: new Map() };
  earlierListings.set(key, entry);
  // A failed listing is not kept: the next create lists again (this create sees the error itself).
  sessions.catch(() => earlierListings.delete(key));
  return entry;
}

/**
 * The sessions of this kind (by `appId`, when known) created before this process started that an
 * interrupted create of `wanted` may have left: running ones holding exactly `wanted`, drafts holding
 * all or a part of it. One listing per process and minute ({@link earlierListing}); artifacts are read
 * only for drafts and running sessions whose count fits, so finished sessions (a tenant's whole
 * history) cost nothing but their share of that listing.
 */
export async function findEarlierLookalikes(
  ctx: SessionContext,
  appId: string | undefined,
  wanted: AnyArtifactInput[],
): Promise<Lookalikes> {
  const style = wanted.some((a) => "browseSessionId" in a || "searchResponseId" in a)
    ? "granular"
    : "standard";
  const listing = earlierListing(ctx);
  const running: RestoreSession[] = [];
  const drafts: RestoreSession[] = [];
  for (const session of await listing.sessions) {
    if (!isOfThisKind(ctx, session) || !isByApp(session, appId)) continue;
    const isRunning = session.status !== "draft";
    const total = session.restoreSessionArtifactCount?.total;
    if (total !== undefined && (total > wanted.length || (isRunning && total !== wanted.length))) continue;
    const artifactsKey = `${session.id} ${style}`;
    let artifacts = listing.artifacts.get(artifactsKey);
    if (artifacts === undefined) {
      artifacts = listSessionArtifacts(ctx, session, style);
      listing.artifacts.set(artifactsKey, artifacts);
      artifacts.catch(() => listing.artifacts.delete(artifactsKey));
    }
    const relation = compareArtifacts(wanted, await artifacts);
    if (relation === "exact" && isRunning) running.push(session);
    else if (!isRunning && (relation === "exact" || (relation === "part" && total !== 0)))
      drafts.push(session);
  }
  return { running, drafts };
}

/** Sessions of this kind holding exactly `wanted`, by any app when `appId` is undefined. */
export function findLookalikes(
  ctx: SessionContext,
  appId: string | undefined,
  wanted: AnyArtifactInput[],
): Promise<RestoreSession[]> {
  return sessionsHolding(ctx, wanted, appId, () => true);
}

/** Empty drafts of this kind by `appId` created since `sentAt`: what a lost POST without artifacts may have left. */
export async function findEmptyDraftsSince(
  ctx: SessionContext,
  appId: string | undefined,
  sentAt: Date,
): Promise<RestoreSession[]> {
  const found: RestoreSession[] = [];
  for await (const session of listRestoreSessions(ctx.client)) {
    if (!isOfThisKind(ctx, session) || !isByApp(session, appId) || session.status !== "draft") continue;
    const created = Date.parse(session.createdDateTime ?? "");
    if (!Number.isFinite(created) || created < earliestCreation(ctx, sentAt)) continue;
    if ((session.restoreSessionArtifactCount?.total ?? 0) === 0) found.push(session);
  }
  return found;
}

/** The ids, for messages. */
export function idsOf(sessions: RestoreSession[]): string {
  return sessions.map((session) => `${session.id} (${session.status})`).join(", ");
}
