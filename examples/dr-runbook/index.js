"use strict";
/**
 * DR runbook: restore a set of mailboxes and a SharePoint site as they were at an incident time.
 *
 * Nobody needs restore point ids: each artifact names the unit and the incident time, and the provider
 * picks the latest restore point at or before that time when it creates the session. Later runs compare
 * the selector, not the resolved id, so re-running this program after new backups is a no-op.
 *
 *   pulumi config set dr-runbook:incidentTime 2026-11-20T09:00:00Z
 *   pulumi config set dr-runbook:mailboxes '["ann@contoso.com","bob@contoso.com"]'
 *   pulumi config set dr-runbook:siteWebUrl https://contoso.sharepoint.com/sites/finance
 *   pulumi up
 */
const pulumi = require("@pulumi/pulumi");
const m365 = loadPackage();

const config = new pulumi.Config("dr-runbook");
const incidentTime = config.require("incidentTime");
const mailboxes = parseList(config.require("mailboxes"));
const siteWebUrl = config.require("siteWebUrl");
const destinationType = config.get("destinationType") || "new";
const waitForCompletion = config.getBoolean("waitForCompletion") || false;

const mailboxSession = new m365.ExchangeRestoreSession("incident-mailboxes", {
  mailboxRestoreArtifacts: mailboxes.map((mailbox) => ({
    mailbox,
    restorePointTime: incidentTime,
    destinationType,
  })),
  activate: true,
  waitForCompletion,
});

const siteSession = new m365.SharePointRestoreSession("incident-site", {
  siteRestoreArtifacts: [{ siteWebUrl, restorePointTime: incidentTime, destinationType }],
  activate: true,
  waitForCompletion,
});

// For the incident record: the restore points the same rule finds (read-only, no session involved).
const plan = m365.getRestorePoints({ mailboxes, siteWebUrls: [siteWebUrl], before: incidentTime });

exports.incidentTime = incidentTime;
exports.mailboxSessionId = mailboxSession.id;
exports.mailboxSessionStatus = mailboxSession.status;
exports.siteSessionId = siteSession.id;
exports.siteSessionStatus = siteSession.status;
exports.restorePoints = plan.then((found) =>
  found.restorePoints.map((hit) => ({
    unit: hit.target,
    restorePointId: hit.restorePoint.id,
    protectionDateTime: hit.restorePoint.protectionDateTime,
  })),
);
exports.unitsWithoutRestorePoint = plan.then((found) => found.noMatch.map((unit) => unit.target));

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

/** Accepts a JSON list (`["a@x.com","b@x.com"]`) or comma-separated text. */
function parseList(text) {
  const trimmed = text.trim();
  const items = trimmed.startsWith("[") ? JSON.parse(trimmed) : trimmed.split(",");
  if (!Array.isArray(items)) {
    throw new Error("dr-runbook:mailboxes must be a JSON list or comma-separated email addresses.");
  }
  const list = items.map((item) => String(item).trim()).filter((item) => item !== "");
  if (list.length === 0) {
    throw new Error("dr-runbook:mailboxes is empty: name at least one mailbox.");
  }
  return list;
}
