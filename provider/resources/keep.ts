/**
 * Turning a failure after the session exists into a {@link SessionKeptError} with the best outputs
 * we can get: what the failure itself observed, else a fresh read, else what we last knew.
 */
import type { RestoreSession } from "../graph/models";
import type { SessionContext } from "./context";
import { messageOf, SessionKeptError } from "./errors";
import { CompletionTimeoutError, RestoreFailedError } from "./lifecycle";
import { fallbackObservation, observe } from "./observe";
import { sessionOutputs } from "./outputs";
import { fromSpec } from "./spec";
import type { SessionObservation, SessionSpec } from "./types";

export async function keepSession(
  ctx: SessionContext,
  session: RestoreSession,
  applied: SessionSpec,
  error: unknown,
  providerValue: unknown,
  verb: "created" | "updated" | "taken over",
  previous?: SessionObservation,
): Promise<SessionKeptError> {
  let observation: SessionObservation;
  if (error instanceof RestoreFailedError || error instanceof CompletionTimeoutError) {
    observation = error.observation;
  } else {
    try {
      observation = await observe(ctx, session.id, applied.style);
    } catch {
      observation = fallbackObservation(session, previous);
    }
  }
  const outputs = sessionOutputs(fromSpec(ctx.schema, applied), observation);
  const message =
    error instanceof RestoreFailedError || error instanceof CompletionTimeoutError
      ? error.message
      : `${ctx.schema.typeName} ${session.id} was ${verb}, but the next step failed: ${messageOf(error)}\n` +
        `The session is kept in state; the next up continues from here without creating a second session.`;
  return new SessionKeptError(session.id, outputs, message, providerValue);
}
