/**
 * The SharePoint site restore session (`SharePointRestoreSession`): its Graph property names and rules.
 */
import { SESSION_KIND_WIRE } from "../graph/models";
import type { KindSchema } from "./kinds";

const WIRE = SESSION_KIND_WIRE.sharePoint;

export const SHAREPOINT: KindSchema = {
  kind: "sharePoint",
  typeName: "SharePointRestoreSession",
  standardProperty: WIRE.artifacts,
  granularProperty: WIRE.granularArtifacts,
  /** One bulk addition request per session, so the input is singular. */
  bulkProperty: WIRE.bulkAdditionRequests.replace(/s$/, ""),
  selectorField: "siteWebUrl",
  granularShape: "browseItem",
  supportsConflictBehavior: true,
  bulkLists: ["siteWebUrls", "siteIds"],
};
