"use strict";
/**
 * The program a scheduled GitHub Actions workflow runs (.github/workflows/restore-drill.yml): a small
 * restore drill that restores a few mailboxes and a site to NEW locations from the latest restore point
 * at or before `restorePointTime`, activates the sessions and waits for the outcome.
 *
 * It holds no credentials and names none: the provider reads AZURE_TENANT_ID, AZURE_CLIENT_ID and
 * AZURE_FEDERATED_TOKEN_FILE from the environment, which the workflow fills from repository variables
 * and from GitHub's OIDC token. Entra trusts that token through a federated identity credential on the
 * app registration, so no client secret is stored anywhere (README.md).
 *
 * Each workflow run is a new drill: GITHUB_RUN_ID goes into `triggers`, so a run replaces the previous
 * run's sessions in the stack with new ones (the provider never deletes an activated session in
 * Graph; it only drops it from the stack). Outside Actions, with no run id, a re-run changes nothing.
 */
const pulumi = require("@pulumi/pulumi");
const m365 = loadPackage();

const config = new pulumi.Config("restore-drill-ci");
const restorePointTime = config.get("restorePointTime") || startOfTodayUtc();
const mailboxes = config.getObject("mailboxes") || ["user0001@contoso.com", "user0002@contoso.com"];
const siteWebUrls = config.getObject("siteWebUrls") || ["https://contoso.sharepoint.com/sites/security-0001"];
const completionTimeoutMinutes = config.getNumber("completionTimeoutMinutes") || 60;
const runId = config.get("runId") || process.env.GITHUB_RUN_ID || "";

const lifecycle = {
  activate: true,
  waitForCompletion: true,
  completionTimeoutMinutes,
  ...(runId ? { triggers: [runId] } : {}),
};

/** The latest restore point at or before the drill time, restored next to the original. */
function pointInTime(target) {
  return { ...target, restorePointTime, restorePointPreference: "latest", destinationType: "new" };
}

const sessions = {
  mailboxes: new m365.ExchangeRestoreSession("ci-drill-mailboxes", {
    mailboxRestoreArtifacts: mailboxes.map((mailbox) => pointInTime({ mailbox })),
    ...lifecycle,
  }),
  sites: new m365.SharePointRestoreSession("ci-drill-sites", {
    siteRestoreArtifacts: siteWebUrls.map((siteWebUrl) => pointInTime({ siteWebUrl })),
    ...lifecycle,
  }),
};

/** What the workflow checks and keeps as evidence: outcome, counts and recovery time per session. */
function evidence(session) {
  return pulumi
    .all([
      session.id,
      session.status,
      session.restoreSessionArtifactCount,
      session.createdDateTime,
      session.completedDateTime,
      session.createdBy,
    ])
    .apply(([id, status, counts, created, completed, createdBy]) => ({
      id,
      status,
      artifacts: counts,
      createdDateTime: created,
      completedDateTime: completed,
      recoverySeconds: created && completed ? (Date.parse(completed) - Date.parse(created)) / 1000 : null,
      createdByApplicationId: (createdBy && createdBy.application && createdBy.application.id) || null,
    }));
}

exports.runId = runId;
exports.restorePointTime = restorePointTime;
exports.mailboxes = evidence(sessions.mailboxes);
exports.sites = evidence(sessions.sites);

/** Midnight UTC today: a restore point time that stays the same for every run on the same day. */
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
