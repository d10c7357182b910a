/**
 * Reading a session back: the session, then every page of its artifacts, mapped to outputs.
 */
import { getRestoreSession, listArtifacts } from "../../graph/backupRestore";
import { GraphError } from "../../graph/errors";
import type {
  ArtifactStyle,
  GranularRestoreArtifact,
  RestoreArtifact,
  RestoreSession,
  SessionObservation,
} from "../../model";
import type { SessionContext } from "./context";
import { artifactOutput, observeSession } from "./outputs";

/** Which artifact list holds the session's artifacts. Exchange lists granular ones with the others. */
function collectionOf(
  ctx: SessionContext,
  session: RestoreSession,
  style: ArtifactStyle | undefined,
): "standard" | "granular" {
  if (ctx.schema.granularShape === "mailboxSearch") {
    return "standard";
  }
  return session.restoreJobType === "granular" || style === "granular" ? "granular" : "standard";
}

export async function listSessionArtifacts(
  ctx: SessionContext,
  session: RestoreSession,
  style?: ArtifactStyle,
): Promise<(RestoreArtifact | GranularRestoreArtifact)[]> {
  const artifacts: (RestoreArtifact | GranularRestoreArtifact)[] = [];
  for await (const artifact of listArtifacts(
    ctx.client,
    ctx.schema.kind,
    session.id,
    collectionOf(ctx, session, style),
  )) {
    artifacts.push(artifact);
  }
  return artifacts;
}

/** GET the session and all its artifact pages. */
export async function observe(
  ctx: SessionContext,
  id: string,
  style?: ArtifactStyle,
): Promise<SessionObservation> {
  return observeFrom(ctx, await getRestoreSession(ctx.client, id), style);
}

/**
 * Observes a session already read: only its artifact pages are listed. Pass the freshest response
 * Graph gave (the create POST when nothing was written after it, `/activate`, a terminal poll); the
 * outputs are the same as {@link observe}'s, without the second GET of the session.
 */
export async function observeFrom(
  ctx: SessionContext,
  session: RestoreSession,
  style?: ArtifactStyle,
): Promise<SessionObservation> {
  const artifacts = await listSessionArtifacts(ctx, session, style);
  return observeSession(
    session,
    artifacts.map((artifact) => artifactOutput(ctx.schema, artifact)),
    tenantOf(ctx),
  );
}

/** The tenant recorded in outputs: the configured one, lower case, or `null` when none is configured. */
export function tenantOf(ctx: SessionContext): string | null {
  return ctx.settings.tenantId?.toLowerCase() ?? null;
}

/** Like {@link observe}, but `undefined` when Graph no longer has the session. */
export async function observeIfExists(
  ctx: SessionContext,
  id: string,
  style?: ArtifactStyle,
): Promise<SessionObservation | undefined> {
  try {
    return await observe(ctx, id, style);
  } catch (error) {
    if (GraphError.isInstance(error) && error.status === 404) {
      return undefined;
    }
    throw error;
  }
}

/** A stand-in observation when Graph could not be read after a failure: what we last knew. */
export function fallbackObservation(
  session: RestoreSession | undefined,
  previous?: SessionObservation,
): SessionObservation {
  if (previous) {
    return previous;
  }
  return observeSession(session ?? { id: "", status: "draft" }, []);
}
