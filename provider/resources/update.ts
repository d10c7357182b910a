/**
 * `update`: while the session is a draft, artifact deltas, a bulk request on an empty session and
 * activation; then waiting if asked and the session is not terminal. Changing only
 * `waitForCompletion` or the timeout makes no Graph call at all; changing only `artifactOutputs` reads
 * the session again and writes nothing.
 */
import { createBulkAdditionRequest } from "../graph/backupRestore";
import { isTerminalSessionStatus, type RestoreSession } from "../graph/models";
import { bulkBody } from "./create";
import type { SessionContext } from "./context";
import { granularToApply } from "./resolveGranular";
import { keepSession } from "./keep";
import { activateOnce, waitForCompletion } from "./lifecycle";
import { observe, observeFrom } from "./observe";
import { observationFrom, sessionOutputs, toStruct } from "./outputs";
import { carryResolutions, reconcileArtifacts } from "./reconcile";
import { artifactValue, canonicalJson, fromSpec, toSpec } from "./spec";
import type { SessionInputs, SessionObservation, SessionOutputs, SessionSpec } from "./types";

interface UpdatePlan {
  artifacts: boolean;
  bulk: boolean;
  activate: boolean;
  wait: boolean;
  /** Which artifacts the outputs list changed: read the session again, write nothing. */
  reread: boolean;
}

function sameArtifacts(olds: SessionSpec, news: SessionSpec): boolean {
  const values = (spec: SessionSpec): string =>
    canonicalJson([...spec.standard, ...spec.granular].map(artifactValue).sort());
  return values(olds) === values(news);
}

function planUpdate(olds: SessionSpec, news: SessionSpec, previous: SessionObservation): UpdatePlan {
  const draft = previous.status === "draft";
  // State may say draft after an activation whose outcome was never read back: activating again is
  // safe (Graph answers 403 for a session that left draft, and activateOnce reads the session then).
  const activate = draft && news.activate;
  return {
    artifacts: draft && !sameArtifacts(olds, news),
    bulk: draft && news.bulk !== null && olds.bulk === null,
    activate,
    wait: news.activate && news.waitForCompletion && !isTerminalSessionStatus(previous.status),
    reread: olds.artifactOutputs !== news.artifactOutputs,
  };
}

export async function updateSession(
  ctx: SessionContext,
  id: string,
  olds: Record<string, unknown>,
  news: SessionInputs,
  providerValue: unknown,
): Promise<SessionOutputs> {
  const oldSpec = toSpec(ctx.schema, olds as SessionInputs);
  const newSpec = toSpec(ctx.schema, news);
  const previous = observationFrom(olds);
  const plan = planUpdate(oldSpec, newSpec, previous);
  const applied: SessionSpec = {
    ...oldSpec,
    waitForCompletion: newSpec.waitForCompletion,
    completionTimeoutMinutes: newSpec.completionTimeoutMinutes,
    artifactOutputs: newSpec.artifactOutputs,
    // A session that left draft has been activated, by us or out of band.
    activate: oldSpec.activate || (previous.status !== "draft" && newSpec.activate),
  };
  if (!plan.artifacts && !plan.bulk && !plan.activate && !plan.wait && !plan.reread) {
    // Only how `up` waits changed: stored without a Graph call.
    return toStruct(sessionOutputs(fromSpec(ctx.schema, applied), previous));
  }
  const deadlineInMs = ctx.timing.nowInMs() + newSpec.completionTimeoutMinutes * 60_000;
  try {
    if (plan.artifacts) {
      const style = newSpec.style === "empty" ? oldSpec.style : newSpec.style;
      if (style === "granular") {
        applied.granular = await reconcileArtifacts(
          ctx,
          id,
          style,
          await granularToApply(ctx, oldSpec.granular, newSpec.granular),
        );
      } else {
        applied.standard = await reconcileArtifacts(
          ctx,
          id,
          style,
          carryResolutions(oldSpec.standard, newSpec.standard),
        );
      }
    }
    if (plan.bulk && newSpec.bulk) {
      await createBulkAdditionRequest(ctx.client, ctx.schema.kind, id, bulkBody(newSpec.bulk));
      applied.bulk = newSpec.bulk;
    }
    // The `/activate` response is the freshest session; without one, the session is read once.
    let activated: RestoreSession | undefined;
    if (plan.activate) {
      activated = await activateOnce(ctx, id, deadlineInMs);
      applied.activate = true;
    }
    const observation =
      plan.wait && applied.activate
        ? await waitForCompletion(ctx, id, newSpec.style, deadlineInMs, activated)
        : activated
          ? await observeFrom(ctx, activated, newSpec.style)
          : await observe(ctx, id, newSpec.style);
    return toStruct(sessionOutputs(fromSpec(ctx.schema, applied), observation));
  } catch (error) {
    throw await keepSession(
      ctx,
      { id, status: previous.status },
      applied,
      error,
      providerValue,
      "updated",
      previous,
    );
  }
}
