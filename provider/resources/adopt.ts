/**
 * An ambiguous create (the POST went out, no answer came back) may or may not have made a session.
 * Look for the one it made (same kind, same app, created after the request started, still a draft,
 * same artifacts) and adopt it; if none turns up it is safe to POST again, once.
 */
import { listRestoreSessions } from "../graph/backupRestore";
import { AmbiguousRequestError } from "../graph/errors";
import { SESSION_KIND_WIRE, type RestoreSession } from "../graph/models";
import { restorePointOf, type AnyArtifactInput } from "./artifacts";
import type { SessionContext } from "./context";
import { listSessionArtifacts } from "./observe";
import { normalizeId } from "./validators";

/** Allowance for the difference between our clock and Graph's when comparing creation times. */
export const CLOCK_SKEW_ALLOWANCE_IN_MS = 60_000;

function artifactKeys(artifacts: AnyArtifactInput[]): string {
  return artifacts
    .map((artifact) => ("browseSessionId" in artifact ? artifact.id : (restorePointOf(artifact) ?? "")))
    .sort()
    .join("\n");
}

function isCandidate(ctx: SessionContext, session: RestoreSession, startedAtInMs: number): boolean {
  const type = session["@odata.type"];
  if (
    type !== undefined &&
    type.toLowerCase() !== SESSION_KIND_WIRE[ctx.schema.kind].odataType.toLowerCase()
  ) {
    return false;
  }
  const created = Date.parse(session.createdDateTime ?? "");
  const app = session.createdBy?.application?.id;
  const ourApp = ctx.settings.clientId;
  return (
    session.status === "draft" &&
    Number.isFinite(created) &&
    created >= startedAtInMs - CLOCK_SKEW_ALLOWANCE_IN_MS &&
    (ourApp === undefined || app === undefined || app.toLowerCase() === ourApp.toLowerCase())
  );
}

/**
 * The sessions a create that started at `startedAt` and sent `sent` could have made: drafts of this
 * kind by this app, created since then (less {@link CLOCK_SKEW_ALLOWANCE_IN_MS}), with those artifacts.
 */
export async function findCreatedSessions(
  ctx: SessionContext,
  startedAt: Date,
  sent: AnyArtifactInput[],
): Promise<RestoreSession[]> {
  const wanted = artifactKeys(sent);
  const found: RestoreSession[] = [];
  for await (const session of listRestoreSessions(ctx.client)) {
    if (!isCandidate(ctx, session, startedAt.getTime())) continue;
    const artifacts = await listSessionArtifacts(
      ctx,
      session,
      sent.some((a) => "browseSessionId" in a) ? "granular" : "standard",
    );
    const keys = artifacts
      .map((artifact) =>
        "browseSessionId" in artifact
          ? normalizeId(artifact.id)
          : normalizeId(artifact.restorePoint?.id ?? ""),
      )
      .sort()
      .join("\n");
    if (keys === wanted) found.push(session);
  }
  return found;
}

/** More than one draft could be the one a create made: the error that refuses to guess. */
export function tooManyMatchesError(ctx: SessionContext, how: string, found: RestoreSession[]): Error {
  return new Error(
    `The create request for ${ctx.schema.typeName} ${how} and ${found.length} matching ` +
      `draft sessions exist (${found.map((s) => s.id).join(", ")}); not guessing which is ours. Delete the extra drafts ` +
      `or import the right one with pulumi import, then run up again.`,
  );
}

export async function adoptOrRetryCreate(
  ctx: SessionContext,
  sent: AnyArtifactInput[],
  post: () => Promise<RestoreSession>,
): Promise<RestoreSession> {
  try {
    return await post();
  } catch (error) {
    if (!AmbiguousRequestError.isInstance(error)) {
      throw error;
    }
    const found = await findCreatedSessions(ctx, error.startedAt, sent);
    if (found.length === 1) {
      const session = found[0];
      await ctx.log.warn(
        `The create request for ${ctx.schema.typeName} ended ambiguously (${error.causeSummary}); adopted session ${session.id}, which it created.`,
      );
      return session;
    }
    if (found.length > 1) {
      throw tooManyMatchesError(ctx, `ended ambiguously (${error.causeSummary})`, found);
    }
    await ctx.log.info(
      `The create request ended ambiguously (${error.causeSummary}) and made no session; sending it again once.`,
    );
    return post();
  }
}
