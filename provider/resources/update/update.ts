/**
 * `update` as a state machine (docs/exactly-once.md, rows U1..U8): plan -> reconcile -> bulk ->
 * activate -> wait -> done. The session is in state, so a host killed anywhere here leaves it there and
 * the next `up` runs this again: every step reads before it writes, so it finishes what the last run
 * began and repeats nothing (a delta against the session's actual artifacts, a bulk request only if the
 * session has none, activation only if Graph still reports a draft).
 *
 * Changing only `waitForCompletion` or the timeout makes no Graph call at all; changing only
 * `artifactOutputs` reads the session again and writes nothing.
 */
import { getRestoreSession } from "../../graph/backupRestore";
import {
  isTerminalSessionStatus,
  type RestoreSession,
  type SessionInputs,
  type SessionObservation,
  type SessionOutputs,
  type SessionSpec,
} from "../../model";
import type { SessionContext } from "../session/context";
import { observe, observeFrom } from "../session/observe";
import { observationFrom, sessionOutputs, toStruct } from "../session/outputs";
import { artifactValue } from "../session/artifactIdentity";
import { canonicalJson, fromSpec, toSpec } from "../session/spec";
import {
  activateOnce,
  bulkOnce,
  carryResolutions,
  keepSession,
  reconcileArtifacts,
  waitForCompletion,
} from "../session/steps";
import { granularToApply } from "../session/resolveGranular";

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

// ---- plan ---------------------------------------------------------------------------------------------

function planUpdate(olds: SessionSpec, news: SessionSpec, previous: SessionObservation): UpdatePlan {
  const draft = previous.status === "draft";
  return {
    artifacts: draft && !sameArtifacts(olds, news),
    // State says no bulk request yet; the bulk step still reads before it sends (U5).
    bulk: draft && news.bulk !== null && olds.bulk === null,
    activate: draft && news.activate,
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
    return toStruct(sessionOutputs(fromSpec(ctx.schema, applied), { ...previous }));
  }
  const deadlineInMs = ctx.timing.nowInMs() + newSpec.completionTimeoutMinutes * 60_000;
  try {
    // reconcile (U1..U3): the delta against what the session holds now.
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
    // bulk (U4/U5): only if the session has none yet.
    if (plan.bulk && newSpec.bulk) {
      await bulkOnce(ctx, id, newSpec.bulk, "unknown");
      applied.bulk = newSpec.bulk;
    }
    // activate (U6/U7): state may say draft after an activate whose answer was lost; Graph decides.
    let activated: RestoreSession | undefined;
    if (plan.activate) {
      const current = await getRestoreSession(ctx.client, id);
      activated = current.status === "draft" ? await activateOnce(ctx, id, deadlineInMs) : current;
      applied.activate = true;
    }
    // wait (U8).
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
