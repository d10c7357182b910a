"use strict";
/**
 * The two Graph calls this example needs that pulumi-m365-backup does not wrap (yet): browse sessions
 * (to pick files and folders from a fast restore point) and a restore point search with an
 * `artifactQuery` (to find mail items). Plain `fetch` with a token from `@azure/identity`.
 *
 * Settings are the package's own keys (`m365-backup:tenantId`, ...), each falling back to the same
 * environment variable the provider reads, so one stack configuration drives the resources and these
 * calls. Only the credentials this example needs are handled: a client secret or a federated token file.
 * Nothing here retries: a throttled call fails `pulumi up`, and the next `up` starts over.
 */
const fs = require("node:fs");
const pulumi = require("@pulumi/pulumi");
const { ClientAssertionCredential, ClientSecretCredential } = require("@azure/identity");

const SCOPE = "https://graph.microsoft.com/.default";
const PUBLIC_AUTHORITY = "https://login.microsoftonline.com";
const BROWSE_READY_TIMEOUT_IN_MS = 2 * 60 * 1000;
const BROWSE_POLL_INTERVAL_IN_MS = 250;
/** A browse session closer to expiry than this is not reused. */
const BROWSE_REUSE_MARGIN_IN_MS = 60 * 60 * 1000;

const ENVIRONMENT = {
  tenantId: "AZURE_TENANT_ID",
  clientId: "AZURE_CLIENT_ID",
  federatedTokenFile: "AZURE_FEDERATED_TOKEN_FILE",
  authorityHost: "AZURE_AUTHORITY_HOST",
  graphEndpoint: "M365_BACKUP_GRAPH_ENDPOINT",
  apiVersion: "M365_BACKUP_API_VERSION",
};

/** `m365-backup:<key>` from the stack, else its environment variable; empty counts as unset. */
function setting(key) {
  const value = new pulumi.Config("m365-backup").get(key) || process.env[ENVIRONMENT[key]] || "";
  return value.trim() === "" ? undefined : value.trim();
}

/** A secret key (`--secret`) read without a plaintext warning: unwrapped from its Output here only. */
function secretSetting(key, variable) {
  const output = new pulumi.Config("m365-backup").getSecret(key);
  if (output === undefined) {
    return Promise.resolve(process.env[variable] || undefined);
  }
  return new Promise((resolve) =>
    output.apply((value) => resolve(value || process.env[variable] || undefined)),
  );
}

async function createCredential() {
  const tenantId = setting("tenantId");
  const clientId = setting("clientId");
  if (!tenantId || !clientId) {
    throw new Error(
      "Set m365-backup:tenantId and m365-backup:clientId (or AZURE_TENANT_ID and AZURE_CLIENT_ID).",
    );
  }
  const authorityHost = (setting("authorityHost") || PUBLIC_AUTHORITY).replace(/\/+$/, "");
  // A private authority (the emulator) cannot answer MSAL's instance discovery.
  const options = { authorityHost, disableInstanceDiscovery: authorityHost !== PUBLIC_AUTHORITY };
  const tokenFile = setting("federatedTokenFile");
  if (tokenFile) {
    // Read at every token request: workload identity token files are rotated.
    const assertion = () => Promise.resolve(fs.readFileSync(tokenFile, "utf8").trim());
    return new ClientAssertionCredential(tenantId, clientId, assertion, options);
  }
  const secret = await secretSetting("clientSecret", "AZURE_CLIENT_SECRET");
  if (!secret) {
    throw new Error(
      "Set m365-backup:clientSecret (--secret) or m365-backup:federatedTokenFile for the Graph calls.",
    );
  }
  return new ClientSecretCredential(tenantId, clientId, secret, options);
}

/** A Graph error with Graph's code, and never the token or the request body. */
class GraphCallError extends Error {
  constructor(method, url, status, body) {
    const code = (body && body.error && body.error.code) || `HTTP ${status}`;
    const message = (body && body.error && body.error.message) || "";
    super(`${method} ${url.pathname}: ${status} ${code} ${message}`.trim());
    this.name = "GraphCallError";
    this.status = status;
    this.code = code;
  }
}

/** A small client for `/solutions/backupRestore`, built once per program run. */
async function createBackupRestoreClient() {
  const credential = await createCredential();
  const endpoint = (setting("graphEndpoint") || "https://graph.microsoft.com").replace(/\/+$/, "");
  const base = `${endpoint}/${setting("apiVersion") || "v1.0"}/solutions/backupRestore`;

  async function call(method, pathOrUrl, body) {
    const url = new URL(/^https:\/\//.test(pathOrUrl) ? pathOrUrl : `${base}${pathOrUrl}`);
    const token = await credential.getToken(SCOPE);
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token.token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text === "" ? undefined : JSON.parse(text);
    if (!response.ok) {
      throw new GraphCallError(method, url, response.status, parsed);
    }
    return parsed;
  }

  /** Every item of a paged answer: the first page from `first`, the rest by GET on `@odata.nextLink`. */
  async function all(first) {
    let page = await first;
    const items = [...page.value];
    while (page["@odata.nextLink"]) {
      page = await call("GET", page["@odata.nextLink"]);
      items.push(...page.value);
    }
    return items;
  }

  return { call, all };
}

/** The browse session collection of a kind. */
function browseCollection(kind) {
  return kind === "sharePoint" ? "/sharePointBrowseSessions" : "/oneDriveForBusinessBrowseSessions";
}

/**
 * A `created` browse session on the restore point: an unexpired one already open on it if there is one
 * (so a re-run names the same items and changes nothing), else a new one, polled until it is ready.
 */
async function openBrowseSession(client, kind, restorePointId) {
  const collection = browseCollection(kind);
  const now = Date.now();
  const open = (await client.all(client.call("GET", collection))).find(
    (session) =>
      session.restorePointId === restorePointId &&
      (session.status === "created" || session.status === "creating") &&
      Date.parse(session.expirationDateTime) - now > BROWSE_REUSE_MARGIN_IN_MS,
  );
  let session = open || (await client.call("POST", collection, { restorePointId }));
  const deadline = Date.now() + BROWSE_READY_TIMEOUT_IN_MS;
  while (session.status !== "created") {
    if (session.status !== "creating" || Date.now() > deadline) {
      throw new Error(`Browse session ${session.id} is ${session.status}, not created: try again later.`);
    }
    await new Promise((resolve) => setTimeout(resolve, BROWSE_POLL_INTERVAL_IN_MS));
    session = await client.call("GET", `${collection}/${session.id}`);
  }
  return session;
}

/** The items at one browse location (the top level when `location` is omitted), all pages. */
function browse(client, kind, sessionId, location) {
  const body = location ? { browseLocationItemKey: location.itemKey, browseResourceType: location.type } : {};
  return client.all(client.call("POST", `${browseCollection(kind)}/${sessionId}/browse`, body));
}

/**
 * `POST /restorePoints/search` with an artifact query on one mailbox: the latest restore point at or
 * before `before`, how many items match, and the `searchResponseId` a granular restore must name.
 */
async function searchMailbox(client, { protectionUnitId, before, queryExpression }) {
  const response = await client.call("POST", "/restorePoints/search", {
    protectionUnitIds: [protectionUnitId],
    protectionTimePeriod: { endDateTime: before },
    restorePointPreference: "latest",
    artifactQuery: { artifactType: "message", queryExpression },
  });
  const hit = response.searchResults[0];
  if (!hit) {
    throw new Error(`No restore point of mailbox unit ${protectionUnitId} at or before ${before}.`);
  }
  return {
    searchResponseId: response.searchResponseId,
    restorePointId: hit.restorePoint.id,
    protectionDateTime: hit.restorePoint.protectionDateTime,
    artifactHitCount: hit.artifactHitCount,
  };
}

module.exports = { createBackupRestoreClient, openBrowseSession, browse, searchMailbox };
