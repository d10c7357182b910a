"use strict";
/**
 * Bulk Exchange restore: up to 1,000 mailboxes (by default, every protected mailbox up to that many) in
 * ONE restore session, through a bulk addition request. Graph resolves each mailbox to its restore point
 * in the protection time period when the session is activated, so the program names people and a
 * period, never restore point ids, and a tenant-wide restore is one resource.
 *
 *   pulumi config set bulk-exchange:periodEnd 2026-11-20T09:00:00Z     # the incident
 *   pulumi config set bulk-exchange:periodDays 7                       # how far back to look
 *   pulumi up
 *
 * A mailbox with no restore point in the period, or one Graph cannot resolve, is reported by the bulk
 * request (`completedWithErrors`) and by the `failuresByCode` output; the others are still restored.
 */
const pulumi = require("@pulumi/pulumi");
const m365 = loadPackage();

/** Graph documents no per-request limit; the emulator enforces 10,000 targets, as the bulk error code suggests. */
const MAX_TARGETS = 10_000;
const DAY_IN_MS = 24 * 60 * 60 * 1000;

const config = new pulumi.Config("bulk-exchange");
const periodEnd = config.get("periodEnd") || startOfTodayUtc();
const periodDays = config.getNumber("periodDays") || 7;
const periodStart = new Date(Date.parse(periodEnd) - periodDays * DAY_IN_MS).toISOString();
const maxMailboxes = config.getNumber("maxMailboxes") || 1000;
const namedMailboxes = config.getObject("mailboxes") || [];
const destinationType = config.get("destinationType") || "new";
const completionTimeoutMinutes = config.getNumber("completionTimeoutMinutes") || 240;

module.exports = async function main() {
  const targets = namedMailboxes.length > 0 ? { mailboxes: namedMailboxes } : await protectedMailboxes();
  const count = (targets.mailboxes || targets.directoryObjectIds).length;
  if (count === 0 || count > MAX_TARGETS) {
    throw new Error(`A bulk request takes 1 to ${MAX_TARGETS} mailboxes; this run names ${count}.`);
  }

  const session = new m365.ExchangeRestoreSession("bulk-mailboxes", {
    mailboxRestoreArtifactsBulkAdditionRequest: {
      displayName: `Bulk mailbox restore, ${count} mailboxes as of ${periodEnd}`,
      ...targets,
      protectionTimePeriod: { startDateTime: periodStart, endDateTime: periodEnd },
      restorePointPreference: "latest",
      destinationType,
    },
    activate: true,
    waitForCompletion: true,
    completionTimeoutMinutes,
    // Keep only the failed mailboxes' results in state: a thousand artifacts in full are ~650 KB.
    artifactOutputs: "failedOnly",
  });

  return {
    mailboxCount: count,
    protectionTimePeriod: { startDateTime: periodStart, endDateTime: periodEnd },
    sessionId: session.id,
    status: session.status,
    restoreJobType: session.restoreJobType,
    restoreSessionArtifactCount: session.restoreSessionArtifactCount,
    // A count per error code: a thousand artifacts in the outputs would make every diff unreadable.
    failuresByCode: session.artifacts.apply(countFailures),
  };
};

/** Every protected mailbox (up to `maxMailboxes`), by Entra object id: Graph fills email only for delegated callers. */
async function protectedMailboxes() {
  const units = await m365.getProtectionUnits({ kind: "exchange" });
  const ids = units
    .filter((unit) => unit.directoryObjectId)
    .slice(0, maxMailboxes)
    .map((unit) => unit.directoryObjectId);
  return { directoryObjectIds: ids };
}

function countFailures(artifacts) {
  const counts = {};
  for (const artifact of artifacts || []) {
    if (artifact.status === "failed") {
      const code = (artifact.error && artifact.error.code) || "unknown";
      counts[code] = (counts[code] || 0) + 1;
    }
  }
  return counts;
}

/** Midnight UTC today: the end of the period stays the same for every run on the same day. */
function startOfTodayUtc() {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
}

/** The installed package; from a clone of the repository without an install, its build (`npm run build`). */
function loadPackage() {
  try {
    return require("pulumi-m365-backup");
  } catch (error) {
    if (error && error.code === "MODULE_NOT_FOUND" && /pulumi-m365-backup/.test(String(error.message))) {
      return require("../../dist/sdk");
    }
    throw error;
  }
}
