/**
 * What an error message tells the reader to do, for the common cases, and the small lookups the error
 * factory needs (status names, which 403s are about permissions, id hygiene).
 */
import type { PipelineResponse } from "./pipeline";
import { permissionsInMessage, requiredPermissions } from "./permissions";

/** 403 codes that are about the session's state, not about permissions. */
export const NOT_PERMISSION_CODES: ReadonlySet<string> = new Set([
  "RestoreSessionActionNotAllowed",
  "InvalidStateForBulkRequestDeletion",
  "UnableToReadBillingProfile",
]);

/**
 * The permissions to name: from the operation table (`permissions.ts`) when the operation is known, else
 * from Graph's message, read only up to where it starts listing the roles the token does hold.
 */
export function namedPermissions(
  graphMessage: string | undefined,
  request: PipelineResponse["request"],
): string[] {
  const fromTable = requiredPermissions(request.method, request.logPath);
  if (fromTable.length > 0) {
    return [...fromTable];
  }
  const required = (graphMessage ?? "").split(/roles (?:on the request|are|held)|token'?s roles/i)[0];
  return permissionsInMessage(required);
}

/** What to do, for the common cases. */
export function adviceFor(
  status: number,
  code: string,
  permissions: readonly string[] | undefined,
): string | undefined {
  switch (code) {
    case "RestoreSessionActionNotAllowed":
      return (
        "The restore session is not in draft: Graph allows changes, deletion and activation only while a " +
        "session is a draft. Read its status; an activated session cannot be changed or deleted."
      );
    case "TooManyActiveRestoreSessions":
      return (
        "More than 25 restore sessions would be active at once. Wait for active sessions to finish, or let " +
        "the provider retry later."
      );
    case "InvalidStateForBulkRequestDeletion":
      return "A bulk addition request can be deleted only once it is completed or completedWithErrors.";
  }
  if (status === 401) {
    return (
      "Graph rejected the access token. Check that the token is for https://graph.microsoft.com in the right " +
      "tenant (m365-backup:tenantId, m365-backup:clientId) and that the credential is current."
    );
  }
  if (status === 403 && permissions !== undefined) {
    const names =
      permissions.length > 0 ? permissions.join(" or ") : "the backup-restore permission this call needs";
    return (
      `The application lacks the Graph permission ${names}: grant it as an application permission to the ` +
      `app registration and grant admin consent, then retry.`
    );
  }
  if (status === 429) {
    return "Graph is throttling this application; the client retries as Graph asks, within its limits.";
  }
  return undefined;
}

const STATUS_CODES: Readonly<Record<number, string>> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  413: "PayloadTooLarge",
  415: "UnsupportedMediaType",
  429: "TooManyRequests",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

/** A code for a status when the body has none, e.g. `ServiceUnavailable`. */
export function statusCode(status: number): string {
  return STATUS_CODES[status] ?? `Http${status}`;
}

/** Ids and dates are echoed by servers; keep them only if they look like ids or dates. */
export function safeId(value: string | undefined): string | undefined {
  return value !== undefined && /^[\w:.,+\-/ ]{1,100}$/.test(value) ? value : undefined;
}
