/**
 * The OneDrive for Business restore session (`OneDriveForBusinessRestoreSession`): its Graph property names and rules.
 */
import { SESSION_KIND_WIRE } from "../graph/models";
import type { KindSchema } from "./kinds";

const WIRE = SESSION_KIND_WIRE.oneDriveForBusiness;

export const ONEDRIVE: KindSchema = {
  kind: "oneDriveForBusiness",
  typeName: "OneDriveForBusinessRestoreSession",
  standardProperty: WIRE.artifacts,
  granularProperty: WIRE.granularArtifacts,
  /** One bulk addition request per session, so the input is singular. */
  bulkProperty: WIRE.bulkAdditionRequests.replace(/s$/, ""),
  selectorField: "oneDriveOwner",
  granularShape: "browseItem",
  supportsConflictBehavior: true,
  bulkLists: ["drives", "directoryObjectIds"],
};
