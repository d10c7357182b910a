// The restore drill: restore a handful of mailboxes, a site and two OneDrive accounts to NEW locations,
// from the restore points chosen by time, activate the sessions and wait until Graph says they are done.
//
// Plain CommonJS so `pulumi up`, the Automation API and the lifecycle runner all run it as it is.
// Settings (`m365-backup:*`) pick the tenant; `restore-drill:*` say what to restore. The defaults match
// the emulator's seeded tenant (seed `m365-backup`), so `npm run drill` needs no configuration at all.
"use strict";
const pulumi = require("@pulumi/pulumi");
const m365 = loadPackage();

/** The installed package, or this repository's build when the program runs from a clone (`pulumi up` at the root). */
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

/** Midnight UTC today: a restore point time that stays the same for every run on the same day. */
function startOfTodayUtc() {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
}

const config = new pulumi.Config("restore-drill");
const restorePointTime = config.get("restorePointTime") || startOfTodayUtc();
const mailboxes = config.getObject("mailboxes") || [
  "user0001@contoso.com",
  "user0002@contoso.com",
  "user0003@contoso.com",
  "user0004@contoso.com",
  "user0005@contoso.com",
];
const sites = config.getObject("sites") || ["https://contoso.sharepoint.com/sites/security-0001"];
const oneDriveOwners = config.getObject("oneDriveOwners") || ["user0001@contoso.com", "user0002@contoso.com"];
const targetRtoMinutes = config.getNumber("targetRtoMinutes") || 240;
const completionTimeoutMinutes = config.getNumber("completionTimeoutMinutes") || 60;
// A new value starts a new drill run (new sessions); the same value makes a re-run change nothing.
const runId = config.get("runId");

/** What every session of the drill shares: activate once, wait for the outcome, and the run id. */
const lifecycle = {
  activate: true,
  waitForCompletion: true,
  completionTimeoutMinutes,
  ...(runId ? { triggers: [runId] } : {}),
};

/** A selector: the latest restore point at or before `restorePointTime`, restored to a new location. */
function pointInTime(target) {
  return { ...target, restorePointTime, restorePointPreference: "latest", destinationType: "new" };
}

const sessions = [];

if (mailboxes.length > 0) {
  const resource = new m365.ExchangeRestoreSession("drill-mailboxes", {
    mailboxRestoreArtifacts: mailboxes.map((mailbox) => pointInTime({ mailbox })),
    ...lifecycle,
  });
  sessions.push({ name: "drill-mailboxes", kind: "exchange", targets: mailboxes, resource });
}

if (sites.length > 0) {
  const resource = new m365.SharePointRestoreSession("drill-sites", {
    siteRestoreArtifacts: sites.map((siteWebUrl) => pointInTime({ siteWebUrl })),
    ...lifecycle,
  });
  sessions.push({ name: "drill-sites", kind: "sharePoint", targets: sites, resource });
}

if (oneDriveOwners.length > 0) {
  const resource = new m365.OneDriveForBusinessRestoreSession("drill-onedrives", {
    driveRestoreArtifacts: oneDriveOwners.map((oneDriveOwner) => pointInTime({ oneDriveOwner })),
    ...lifecycle,
  });
  sessions.push({ name: "drill-onedrives", kind: "oneDriveForBusiness", targets: oneDriveOwners, resource });
}

// What the drill command reads back: which sessions this run made, and what each was asked to restore.
exports.restorePointTime = restorePointTime;
exports.targetRtoMinutes = targetRtoMinutes;
exports.sessions = sessions.map(({ name, kind, targets, resource }) => ({
  name,
  kind,
  targets,
  id: resource.id,
  status: resource.status,
  restoreSessionArtifactCount: resource.restoreSessionArtifactCount,
  artifacts: resource.artifacts,
}));
