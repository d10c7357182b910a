"use strict";
/**
 * Granular restore: a few files and folders of a SharePoint site and of a OneDrive, and the mail items
 * of one mailbox that match a query, each restored to a new location from one restore point.
 *
 *  1. getRestorePoints finds the latest fast restore point (`tags: fastRestore`) of the site and the
 *     OneDrive at or before `restorePointTime`: only fast restore points can be browsed.
 *  2. A browse session on each point lists the library; the program picks items (by name, or the first
 *     folder and the first file) and restores them with granular artifacts `{ browseSessionId, id }`.
 *  3. A restore point search with an `artifactQuery` finds the mailbox's items; the granular mailbox
 *     artifact names that search (`searchResponseId`) and the restore point it returned.
 *
 * Granular site and drive artifacts take `destinationType` and the session takes `conflictBehavior` only
 * in Graph beta, so Pulumi.yaml sets `m365-backup:apiVersion` to `beta`.
 *
 * Re-running: an open browse session on the same restore point is reused, so the site and OneDrive
 * sessions stay the same. Every search answers with a new `searchResponseId`, so to keep the mailbox
 * session on a re-run, pin the search (`mailboxSearchResponseId` and `mailboxRestorePointId` from the
 * `mailboxSearch` output; see README.md). A changed `restorePointTime` or item list starts new sessions.
 */
const pulumi = require("@pulumi/pulumi");
const m365 = loadPackage();
const { browse, createBackupRestoreClient, openBrowseSession, searchMailbox } = require("./graph");

const config = new pulumi.Config("granular-restore");
const settings = {
  restorePointTime: config.get("restorePointTime") || startOfTodayUtc(),
  siteWebUrl: config.get("siteWebUrl") || "https://contoso.sharepoint.com/sites/security-0001",
  oneDriveOwner: config.get("oneDriveOwner") || "user0001@contoso.com",
  mailbox: config.get("mailbox") || "user0002@contoso.com",
  library: config.get("library") || "Documents",
  itemNames: config.getObject("itemNames") || [],
  messageQuery: config.get("messageQuery") || "(Subject -like 'Invoice*') -or (HasAttachment -eq 'true')",
  mailboxSearchResponseId: config.get("mailboxSearchResponseId"),
  mailboxRestorePointId: config.get("mailboxRestorePointId"),
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
  const client = await createBackupRestoreClient();
  const points = await m365.getRestorePoints({
    siteWebUrls: [settings.siteWebUrl],
    oneDriveOwners: [settings.oneDriveOwner],
    before: settings.restorePointTime,
    tags: "fastRestore",
  });
  if (points.noMatch.length > 0) {
    const missing = points.noMatch.map((unit) => unit.target).join(", ");
    throw new Error(`No fast restore point at or before ${settings.restorePointTime} for ${missing}.`);
  }
  const [sitePoint, drivePoint] = points.restorePoints;

  const sitePick = await pickItems(client, "sharePoint", sitePoint.restorePoint.id);
  const site = new m365.SharePointRestoreSession("site-items", {
    granularSiteRestoreArtifacts: sitePick.items.map((item) => toBrowseArtifact(sitePick.session, item)),
    conflictBehavior: settings.conflictBehavior,
    ...lifecycle,
  });

  const drivePick = await pickItems(client, "oneDriveForBusiness", drivePoint.restorePoint.id);
  const drive = new m365.OneDriveForBusinessRestoreSession("onedrive-items", {
    granularDriveRestoreArtifacts: drivePick.items.map((item) => toBrowseArtifact(drivePick.session, item)),
    conflictBehavior: settings.conflictBehavior,
    ...lifecycle,
  });

  const search = pinnedSearch() || (await findMail(client));
  const mail = new m365.ExchangeRestoreSession("mail-items", {
    granularMailboxRestoreArtifacts: [
      {
        restorePoint: { id: search.restorePointId },
        searchResponseId: search.searchResponseId,
        destinationType: "new",
      },
    ],
    ...lifecycle,
  });

  return {
    restorePointTime: settings.restorePointTime,
    site: describeSession(site, sitePoint, sitePick),
    oneDrive: describeSession(drive, drivePoint, drivePick),
    mailbox: {
      target: `mailbox ${settings.mailbox}`,
      query: settings.messageQuery,
      id: mail.id,
      status: mail.status,
      restoreJobType: mail.restoreJobType,
      artifacts: mail.artifacts,
    },
    // Pin it to keep the mailbox session on the next `up` (README.md).
    mailboxSearch: search,
  };
};

/** A browse session on the point, and the items to restore from the configured library. */
async function pickItems(client, kind, restorePointId) {
  const session = await openBrowseSession(client, kind, restorePointId);
  const top = await browse(client, kind, session.id);
  // SharePoint's top level is the site, with its libraries under it; OneDrive's is the library itself.
  const libraries = kind === "sharePoint" ? await browse(client, kind, session.id, top[0]) : top;
  const library = libraries.find((item) => item.name === settings.library);
  if (!library) {
    const names = libraries.map((item) => item.name).join(", ");
    throw new Error(`No library "${settings.library}" in the ${kind} restore point (found: ${names}).`);
  }
  const content = await browse(client, kind, session.id, library);
  return { session, library, items: chooseItems(content, kind) };
}

/** The named items, or else the first folder and the first file (a folder restores everything under it). */
function chooseItems(content, kind) {
  if (settings.itemNames.length > 0) {
    const chosen = settings.itemNames.map((name) => content.find((item) => item.name === name));
    const missing = settings.itemNames.filter((_name, index) => chosen[index] === undefined);
    if (missing.length > 0) {
      throw new Error(`No item named ${missing.join(", ")} in the ${kind} library "${settings.library}".`);
    }
    return chosen;
  }
  return ["folder", "file"].map((type) => content.find((item) => item.type === type)).filter(Boolean);
}

function toBrowseArtifact(session, item) {
  return { browseSessionId: session.id, id: item.itemKey, destinationType: "new" };
}

/** The search a previous run made, when both of its ids are configured. */
function pinnedSearch() {
  if (!settings.mailboxSearchResponseId && !settings.mailboxRestorePointId) {
    return undefined;
  }
  if (!settings.mailboxSearchResponseId || !settings.mailboxRestorePointId) {
    throw new Error(
      "Set both granular-restore:mailboxSearchResponseId and granular-restore:mailboxRestorePointId, or neither.",
    );
  }
  return {
    searchResponseId: settings.mailboxSearchResponseId,
    restorePointId: settings.mailboxRestorePointId,
  };
}

/** The mailbox's protection unit, then a search with the query on its latest point at or before the time. */
async function findMail(client) {
  const unit = await m365.getRestorePoints({
    mailboxes: [settings.mailbox],
    before: settings.restorePointTime,
  });
  const found = unit.restorePoints[0];
  if (!found) {
    throw new Error(
      `Mailbox ${settings.mailbox} has no restore point at or before ${settings.restorePointTime}.`,
    );
  }
  return searchMailbox(client, {
    protectionUnitId: found.protectionUnitId,
    before: settings.restorePointTime,
    queryExpression: settings.messageQuery,
  });
}

function describeSession(resource, point, pick) {
  return {
    target: point.target,
    restorePointId: point.restorePoint.id,
    protectionDateTime: point.restorePoint.protectionDateTime,
    browseSessionId: pick.session.id,
    items: pick.items.map((item) => ({ name: item.name, type: item.type, itemKey: item.itemKey })),
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
