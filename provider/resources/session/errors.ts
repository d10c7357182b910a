/**
 * The error a create or update throws once the session exists: the SDK's partial-creation contract.
 * The dynamic-provider host turns an error carrying `id`, `properties` and `reasons` into
 * `ErrorResourceInitFailed`, and the engine keeps the session (with these outputs) in state, so the
 * next `up` continues with an update instead of creating a second session.
 */
import { PROVIDER_KEY } from "./spec";
import { toStruct } from "./outputs";
import type { SessionOutputs } from "../../model";
import { hasBrand } from "../../brand";

export class SessionKeptError extends Error {
  readonly __sessionKeptErrorBrand = true;
  /** The Graph session id: the resource id. */
  readonly id: string;
  /** The outputs known when it failed; the engine stores them. */
  readonly properties: Record<string, unknown>;
  /** Why, one line each. */
  readonly reasons: string[];

  constructor(id: string, outputs: SessionOutputs, message: string, providerValue: unknown) {
    super(message);
    this.name = "SessionKeptError";
    this.id = id;
    // The host adds `__provider` to successful results only; a later delete needs it in state too.
    this.properties = toStruct({ ...outputs, [PROVIDER_KEY]: providerValue });
    this.reasons = [message];
  }

  static isInstance(value: unknown): value is SessionKeptError {
    return hasBrand<SessionKeptError>(value, "__sessionKeptErrorBrand");
  }
}

/** A message safe to show from any error: its own message for ours and the client's, else its name. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
