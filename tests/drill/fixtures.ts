/** Drill facts for the report tests: three sessions, one failed mailbox, times chosen so the figures are easy to check. */
import type { DrillFacts, ObservedArtifact, ObservedSession } from "../../tools/drill/report";

const T0 = Date.parse("2026-11-20T09:00:00Z");

/** An ISO instant `seconds` after 09:00:00 UTC on 2026-11-20. */
export function at(seconds: number): string {
  return new Date(T0 + seconds * 1000).toISOString();
}

function artifact(
  id: string,
  label: string,
  startSeconds: number,
  endSeconds: number | null,
  status = "succeeded",
  overrides: Partial<ObservedArtifact> = {},
): ObservedArtifact {
  return {
    id,
    label,
    restorePointId: `rp-${id}`,
    restorePointProtectionDateTime: at(-6 * 3600),
    restorePointExpirationDateTime: at(30 * 86400),
    destinationType: "new",
    status,
    startDateTime: at(startSeconds),
    completionDateTime: endSeconds === null ? null : at(endSeconds),
    ...overrides,
  };
}

/** Exchange: three mailboxes finishing 10 s, 20 s and (failed) 30 s after the session was created. */
export const exchangeSession: ObservedSession = {
  id: "ex-1",
  kind: "exchange",
  resourceName: "mailboxes",
  status: "completedWithError",
  createdDateTime: at(0),
  completedDateTime: at(30),
  artifacts: [
    artifact("m1", "adele@contoso.com", 2, 10, "succeeded", { restoredLocation: "Restored-adele" }),
    artifact("m2", "megan@contoso.com", 3, 20),
    artifact("m3", "lee@contoso.com", 4, 30, "failed", {
      errorCode: "ArtifactCannotBeRestored",
      errorMessage: "The mailbox is on hold.",
    }),
  ],
};

export const sharePointSession: ObservedSession = {
  id: "sp-1",
  kind: "sharePoint",
  resourceName: "sites",
  status: "completed",
  createdDateTime: at(1),
  completedDateTime: at(41),
  artifacts: [
    artifact("s1", "https://contoso.sharepoint.com/sites/finance", 5, 41, "succeeded", {
      restoredLocation: "https://contoso.sharepoint.com/sites/finance-restored",
    }),
  ],
};

export const oneDriveSession: ObservedSession = {
  id: "od-1",
  kind: "oneDriveForBusiness",
  resourceName: "onedrives",
  status: "completed",
  createdDateTime: at(2),
  completedDateTime: at(14),
  artifacts: [artifact("d1", "alex@contoso.com", 3, 12), artifact("d2", "diego@contoso.com", 4, 14)],
};

/** A drill with one failed mailbox, in the order Graph might list the sessions (not the report's order). */
export function drillFacts(overrides: Partial<DrillFacts> = {}): DrillFacts {
  return {
    mode: "lifecycleRunner",
    target: {
      kind: "emulator",
      tenantId: "tenant-1",
      graphEndpoint: "https://127.0.0.1:4443",
      apiVersion: "v1.0",
    },
    startedDateTime: at(-5),
    endedDateTime: at(45),
    targetRtoInMinutes: 1,
    restorePointTime: at(-3600),
    sessions: [oneDriveSession, sharePointSession, exchangeSession],
    requests: { total: 40, writes: 6, byMethod: { GET: 34, POST: 6 } },
    generator: { name: "pulumi-m365-backup", version: "0.1.0" },
    ...overrides,
  };
}

/** The same drill with every mailbox restored. */
export function passingDrillFacts(overrides: Partial<DrillFacts> = {}): DrillFacts {
  const exchange: ObservedSession = {
    ...exchangeSession,
    status: "completed",
    artifacts: exchangeSession.artifacts.map((item) => ({
      ...item,
      status: "succeeded",
      errorCode: null,
      errorMessage: null,
    })),
  };
  return drillFacts({ sessions: [exchange, sharePointSession, oneDriveSession], ...overrides });
}
