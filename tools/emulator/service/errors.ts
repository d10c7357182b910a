/**
 * The one place restore-session errors are built, so each documented code (Graph docs:
 * backup-storage-error-codes) comes with its documented HTTP status everywhere it is raised.
 */
import { GraphServiceError } from "../contract";

/** 400 with a documented code. */
export function badRequest(code: string, message: string): GraphServiceError {
  return new GraphServiceError(400, code, message);
}

/** 400 `BadRequest`: the OData layer rejects a body property the type does not have (or cannot be set). */
export function unknownProperty(path: string, typeName: string, readOnly = false): GraphServiceError {
  const reason = readOnly
    ? `is read-only on type '${typeName}' and cannot be sent`
    : `does not exist on type '${typeName}'`;
  return new GraphServiceError(400, "BadRequest", `The property '${path}' ${reason}.`);
}

/** 400 `BadRequest` for a body that is not the JSON object the operation takes. */
export function malformedBody(message: string): GraphServiceError {
  return new GraphServiceError(400, "BadRequest", message);
}

/** 400 `InvalidRestoreSessionId`: the id in the URI is not a GUID. */
export function invalidRestoreSessionId(id: string): GraphServiceError {
  return badRequest(
    "InvalidRestoreSessionId",
    `The restore session id '${id}' is not valid: restore session ids are GUIDs.`,
  );
}

/** 404 `RestoreSessionNotFound`: a well-formed id that names no session (of that kind). */
export function restoreSessionNotFound(id: string): GraphServiceError {
  return new GraphServiceError(404, "RestoreSessionNotFound", `Restore session '${id}' was not found.`);
}

/** 403 `RestoreSessionActionNotAllowed`: the session's state does not allow the operation. */
export function actionNotAllowed(message: string): GraphServiceError {
  return new GraphServiceError(403, "RestoreSessionActionNotAllowed", message);
}

/** A well-formed GUID (any case, no braces). */
export function isGuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** A sent value as it appears in an error message: JSON, so objects and strings both read clearly. */
export function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
