/**
 * `delete`: a draft is deleted (already gone counts as success). An activated session cannot be
 * deleted in Graph (403 `RestoreSessionActionNotAllowed`; Graph purges finished sessions after a
 * year), so it is forgotten with a warning; destroy never fails for that reason.
 *
 * Graph documents 500 `IncompleteArtifactDeletion` ("some artifacts couldn't be deleted; retry") on
 * DELETE. The client's retry policy leaves 500s alone, so this flow retries that one code itself, a
 * few times with a growing wait, and then fails with a message that says what to do.
 */
import { deleteRestoreSession } from "../../graph/backupRestore";
import { GraphError } from "../../graph/errors";
import type { SessionContext } from "../session/context";
import { observedStatus } from "../session/outputs";

export const NOT_ALLOWED = "RestoreSessionActionNotAllowed";

/** Graph's code for a DELETE that removed only part of a draft's artifacts. */
export const INCOMPLETE_DELETION = "IncompleteArtifactDeletion";

/** DELETE attempts in all when Graph keeps answering `IncompleteArtifactDeletion`. */
export const DELETE_ATTEMPTS = 4;

async function forget(ctx: SessionContext, id: string, status: string): Promise<void> {
  await ctx.log.warn(
    `${ctx.schema.typeName} ${id} has been activated (status ${status}) and Graph cannot delete an activated restore ` +
      `session; it is removed from the stack's state but stays in Microsoft 365 (Graph purges finished sessions after a year).`,
  );
}

function isIncompleteDeletion(error: unknown): error is GraphError {
  return GraphError.isInstance(error) && error.code === INCOMPLETE_DELETION;
}

/** The wait before retry `retry` (1-based): the poll interval, doubled each time, capped. */
function backoffInMs(ctx: SessionContext, retry: number): number {
  const { initialPollIntervalInMs, maxPollIntervalInMs } = ctx.timing;
  return Math.min(initialPollIntervalInMs * 2 ** (retry - 1), maxPollIntervalInMs);
}

/** One DELETE, retried while Graph answers `IncompleteArtifactDeletion`. */
async function deleteWithRetry(ctx: SessionContext, id: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await deleteRestoreSession(ctx.client, id);
      return;
    } catch (error) {
      if (!isIncompleteDeletion(error)) {
        throw error;
      }
      if (attempt >= DELETE_ATTEMPTS) {
        throw new Error(
          `${ctx.schema.typeName} ${id}: Graph deleted only part of the draft's artifacts ${DELETE_ATTEMPTS} times in a row ` +
            `(${INCOMPLETE_DELETION}${error.requestId ? `, last request-id ${error.requestId}` : ""}). ` +
            `The session still exists as a draft; run destroy again later to finish deleting it.`,
        );
      }
      const waitInMs = backoffInMs(ctx, attempt);
      await ctx.log.info(
        `${ctx.schema.typeName} ${id}: Graph deleted only part of the draft's artifacts (${INCOMPLETE_DELETION}); ` +
          `retrying the DELETE in ${waitInMs} ms (attempt ${attempt + 1} of ${DELETE_ATTEMPTS}).`,
      );
      await ctx.timing.sleep(waitInMs);
    }
  }
}

/**
 * `delete`: deletes a draft; forgets a session that is no longer a draft, with a warning (Graph cannot
 * delete it). Its parameters are `readSession`'s on purpose: both are the host's call for a session in
 * state (the context, the resource id and its state without `__provider`), so they stay written alike.
 */
export async function deleteSession(
  ctx: SessionContext,
  id: string,
  props: Record<string, unknown>,
): Promise<void> {
  const status = observedStatus(props);
  if (status !== "draft") {
    await forget(ctx, id, status);
    return;
  }
  try {
    await deleteWithRetry(ctx, id);
  } catch (error) {
    if (GraphError.isInstance(error) && error.status === 404) {
      return;
    }
    if (GraphError.isInstance(error) && error.status === 403 && error.code === NOT_ALLOWED) {
      await forget(ctx, id, "no longer draft");
      return;
    }
    throw error;
  }
}
