/**
 * Resuming a create that a killed provider host left behind (see `journal.ts`). The journal says
 * either which session the interrupted create made, or only when it started (the host died between
 * sending the POST and reading the answer). Either way the session it made is adopted, so the next
 * `up` never creates, or activates, a second one for the same resource.
 */
import { getRestoreSession } from "../graph/backupRestore";
import { GraphError } from "../graph/errors";
import type { RestoreSession } from "../graph/models";
import { matchArtifact, type AnyArtifactInput } from "./artifacts";
import { findCreatedSessions, tooManyMatchesError } from "./adopt";
import type { SessionContext } from "./context";
import type { ClaimedLeftover } from "./journal";
import { isSelectorArtifact } from "./spec";
import { listSessionArtifacts } from "./observe";
import type { SessionSpec } from "./types";

/** A session of an interrupted create, taken over by this one. */
export interface AdoptedSession {
  readonly session: RestoreSession;
  /** True when the journal named the session: the create may have stopped anywhere after its POST. */
  readonly named: boolean;
}

/**
 * Whether `session`'s artifacts are what these inputs restore: all of them once it left draft; for a
 * draft, a part of them (an interrupted create may not have finished its PATCHes).
 */
async function artifactsFit(
  ctx: SessionContext,
  session: RestoreSession,
  spec: SessionSpec,
  wanted: AnyArtifactInput[],
): Promise<boolean> {
  if (spec.style === "bulk" || spec.style === "empty") return true;
  const actual = await listSessionArtifacts(ctx, session, spec.style);
  if (spec.standard.some(isSelectorArtifact)) {
    // A selector may resolve to a newer restore point now than when that create POSTed; the session is
    // ours by its recorded id, so only the count is compared (a draft is reconciled afterwards).
    return session.status === "draft" ? actual.length <= wanted.length : actual.length === wanted.length;
  }
  const taken = new Set<string>();
  const matched = wanted.filter((artifact) => matchArtifact(artifact, actual, taken) !== undefined);
  if (taken.size !== actual.length) return false;
  return session.status === "draft" || matched.length === wanted.length;
}

/** The session the journal names, if Graph still has it and it fits the inputs. */
async function adoptNamed(
  ctx: SessionContext,
  id: string,
  spec: SessionSpec,
  wanted: AnyArtifactInput[],
): Promise<RestoreSession | undefined> {
  let session: RestoreSession;
  try {
    session = await getRestoreSession(ctx.client, id);
  } catch (error) {
    if (GraphError.isInstance(error) && error.status === 404) {
      await ctx.log.info(
        `An interrupted create of this ${ctx.schema.typeName} had made session ${id}, which no longer exists; creating a new one.`,
      );
      return undefined;
    }
    throw error;
  }
  if (!(await artifactsFit(ctx, session, spec, wanted))) {
    await ctx.log.warn(
      `An interrupted create of this ${ctx.schema.typeName} had made session ${id}, but its artifacts are not ` +
        `the ones declared now; leaving it alone and creating a new one.`,
    );
    return undefined;
  }
  return session;
}

/**
 * Adopts what the interrupted create made, or resolves `undefined` when it made nothing (or nothing
 * left that fits): then a new session is created. `first` is what that create's POST carried.
 */
export async function adoptLeftover(
  ctx: SessionContext,
  leftover: ClaimedLeftover,
  spec: SessionSpec,
  wanted: AnyArtifactInput[],
  first: AnyArtifactInput[],
): Promise<AdoptedSession | undefined> {
  const started = leftover.startedAt.toISOString();
  if (leftover.sessionId !== undefined) {
    const session = await adoptNamed(ctx, leftover.sessionId, spec, wanted);
    if (session === undefined) return undefined;
    await ctx.log.warn(
      `A create of this ${ctx.schema.typeName} started at ${started} was interrupted (its provider host ` +
        `stopped) after making session ${session.id} (${session.status}); adopted it instead of creating another.`,
    );
    return { session, named: true };
  }
  const found = await findCreatedSessions(ctx, leftover.startedAt, first);
  if (found.length > 1) throw tooManyMatchesError(ctx, `was interrupted at ${started}`, found);
  if (found.length === 0) return undefined;
  await ctx.log.warn(
    `A create of this ${ctx.schema.typeName} started at ${started} was interrupted (its provider host ` +
      `stopped) before Graph's answer arrived; adopted session ${found[0].id}, which it made.`,
  );
  return { session: found[0], named: false };
}
