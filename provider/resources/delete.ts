/**
 * `delete`: a draft is deleted (already gone counts as success). An activated session cannot be
 * deleted in Graph (403 `RestoreSessionActionNotAllowed`; Graph purges finished sessions after a
 * year), so it is forgotten with a warning; destroy never fails for that reason.
 */
import { deleteRestoreSession } from "../graph/backupRestore";
import { GraphError } from "../graph/errors";
import type { SessionContext } from "./context";
import { observedStatus } from "./diff";

export const NOT_ALLOWED = "RestoreSessionActionNotAllowed";

async function forget(ctx: SessionContext, id: string, status: string): Promise<void> {
  await ctx.log.warn(
    `${ctx.schema.typeName} ${id} has been activated (status ${status}) and Graph cannot delete an activated restore ` +
      `session; it is removed from the stack's state but stays in Microsoft 365 (Graph purges finished sessions after a year).`,
  );
}

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
    await deleteRestoreSession(ctx.client, id);
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
