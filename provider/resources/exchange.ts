/**
 * The Exchange mailbox restore session (`ExchangeRestoreSession`): its Graph property names and rules.
 */
import { SESSION_KIND_WIRE } from "../graph/models";
import type { KindSchema } from "./kinds";

const WIRE = SESSION_KIND_WIRE.exchange;

export const EXCHANGE: KindSchema = {
  kind: "exchange",
  typeName: "ExchangeRestoreSession",
  standardProperty: WIRE.artifacts,
  granularProperty: WIRE.granularArtifacts,
  /** One bulk addition request per session, so the input is singular. */
  bulkProperty: WIRE.bulkAdditionRequests.replace(/s$/, ""),
  selectorField: "mailbox",
  granularShape: "mailboxSearch",
  supportsConflictBehavior: false,
  bulkLists: ["mailboxes", "directoryObjectIds"],
};
