"use strict";
/**
 * Granular restore: files and folders of a SharePoint site and of a OneDrive, and the mail items of one
 * mailbox that match a query, each restored to a new location as they were at `restorePointTime`.
 *
 * Everything is declared with granular selectors, which the provider resolves when it creates each
 * session and pins in state:
 *  - `{ siteWebUrl | oneDriveOwner, restorePointTime, paths }`: the latest fast restore point at or
 *    before the time (only fast restore points can be browsed), a browse session on it (reused while it
 *    lives), and the item at each path;
 *  - `{ mailbox, restorePointTime, query }`: the latest restore point at or before the time, and a
 *    restore point search with that artifact query.
 *
 * With no paths configured, the program lists the library with `browseRestorePoint` (a runbook function
 * of the package, over the provider's own Graph client) and takes its first folder and first file.
 *
 * Re-running is a no-op: the resolutions are pinned in state, so newer restore points, a new browse
 * session or a new search never change the sessions. A different time, path list or query starts new
 * sessions (an activated session is never changed or deleted: it is replaced in the stack and kept in
 * Microsoft 365).
 *
 * Pulumi.yaml sets `m365-backup:apiVersion` to `beta`, where the destination (`new`) is sent to Graph
 * explicitly and `conflictBehavior` exists. Under v1.0 write `destinationType: "new"` on the site and
 * OneDrive selectors: v1.0 has no destination field and restores into one new folder per session.
 */
const pulumi = require("@pulumi/pulumi");
const m365 = loadPackage();

const config = new pulumi.Config("granular-restore");
const settings = {
  restorePointTime: config.get("restorePointTime") || startOfTodayUtc(),
  siteWebUrl: config.get("siteWebUrl") || "https://contoso.sharepoint.com/sites/security-0001",
  oneDriveOwner: config.get("oneDriveOwner") || "user0001@contoso.com",
  mailbox: config.get("mailbox") || "user0002@contoso.com",
  sitePaths: config.getObject("sitePaths") || [],
  oneDrivePaths: config.getObject("oneDrivePaths") || [],
  messageQuery: config.get("messageQuery") || "(Subject -like 'Invoice*') -or (HasAttachment -eq 'true')",
  conflictBehavior: config.get("conflictBehavior") || "rename",
  completionTimeoutMinutes: config.getNumber("completionTimeoutMinutes") || 60,
};

/** What every session shares: activate once and wait until Graph reports the outcome. */
const lifecycle = {
  activate: true,
  waitForCompletion: true,
  completionTimeoutMinutes: settings.completionTimeoutMinutes,
};

module.exports = async function main() {
  const sitePaths = await pathsOr(
    settings.sitePaths,
    { siteWebUrl: settings.siteWebUrl },
    "/Shared Documents",
  );
  const site = new m365.SharePointRestoreSession("site-items", {
    granularSiteRestoreArtifacts: [
      { siteWebUrl: settings.siteWebUrl, restorePointTime: settings.restorePointTime, paths: sitePaths },
    ],
    conflictBehavior: settings.conflictBehavior,
    ...lifecycle,
  });

  const oneDrivePaths = await pathsOr(
    settings.oneDrivePaths,
    { oneDriveOwner: settings.oneDriveOwner },
    "/Documents",
  );
  const drive = new m365.OneDriveForBusinessRestoreSession("onedrive-items", {
    granularDriveRestoreArtifacts: [
      {
        oneDriveOwner: settings.oneDriveOwner,
        restorePointTime: settings.restorePointTime,
        paths: oneDrivePaths,
      },
    ],
    conflictBehavior: settings.conflictBehavior,
    ...lifecycle,
  });

  const mail = new m365.ExchangeRestoreSession("mail-items", {
    granularMailboxRestoreArtifacts: [
      {
        mailbox: settings.mailbox,
        restorePointTime: settings.restorePointTime,
        query: { queryExpression: settings.messageQuery },
        destinationType: "new",
      },
    ],
    ...lifecycle,
  });

  return {
    restorePointTime: settings.restorePointTime,
    site: describeSession(`site ${settings.siteWebUrl}`, sitePaths, site),
    oneDrive: describeSession(`OneDrive of ${settings.oneDriveOwner}`, oneDrivePaths, drive),
    mailbox: describeSession(`mailbox ${settings.mailbox}`, [settings.messageQuery], mail),
  };
};

/** The configured paths, or else the library's first folder and first file in the restore point. */
async function pathsOr(configured, unit, library) {
  if (configured.length > 0) {
    return configured;
  }
  const found = await m365.browseRestorePoint({
    ...unit,
    restorePointTime: settings.restorePointTime,
    path: library,
  });
  const chosen = ["folder", "file"]
    .map((type) => found.items.find((item) => item.type === type))
    .filter(Boolean);
  if (chosen.length === 0) {
    throw new Error(
      `${library} is empty in restore point ${found.restorePoint.id}; configure the paths to restore.`,
    );
  }
  return chosen.map((item) => `${library}/${item.name}`);
}

function describeSession(target, selected, resource) {
  return {
    target,
    selected,
    id: resource.id,
    status: resource.status,
    restoreJobType: resource.restoreJobType,
    artifacts: resource.artifacts,
  };
}

/** Midnight UTC today, a fast restore point time that stays the same for every run on the same day. */
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
