/**
 * What a granular browse session shows: a small, deterministic tree of libraries, folders and files
 * per site or OneDrive, computed on demand.
 *
 * - SharePoint: the top level is the site; under it the libraries `Documents` (`Shared Documents`) and
 *   `Site Assets`. OneDrive: the top level is the `Documents` library of the personal site.
 * - A library holds 2-4 folders and 3-6 files; a folder one level down holds 0-2 subfolders and 2-12
 *   files; deeper folders hold files only.
 * - `itemKey` is a comma-joined GUID tuple (Graph docs: resources/granularrestoreartifactbase):
 *   `siteGuid,webGuid` for the site, `siteGuid,webGuid,listGuid` for a library,
 *   `siteGuid,webGuid,listGuid,itemGuid` below. The item GUID carries the item's position, so a key is read
 *   back without a table.
 */
import { SeededRandom } from "../../random";
import { GuidCategory, indexedGuid, parseIndexedGuid } from "./ids";

export type BrowseItemType = "site" | "documentLibrary" | "folder" | "file";

export interface BrowseNode {
  readonly itemKey: string;
  readonly name: string;
  readonly type: BrowseItemType;
  /** Server-relative path: `/sites/finance-0001/Shared Documents/Reports/Budget-1.xlsx`. */
  readonly path: string;
  readonly webUrl: string;
  readonly itemsCount: number;
  readonly sizeInBytes: number;
}

/** The site (or personal site) a tree belongs to. */
export interface BrowseRoot {
  /** Scope of the list and item GUIDs: unique per unit. */
  readonly scope: string;
  readonly siteGuid: string;
  readonly webGuid: string;
  /** `https://contoso.sharepoint.com` or `https://contoso-my.sharepoint.com`. */
  readonly origin: string;
  /** `/sites/finance-0001` or `/personal/user0001_contoso_com`. */
  readonly sitePath: string;
  readonly siteName: string;
  readonly oneDrive: boolean;
}

const FOLDER_NAMES = [
  "Reports",
  "Contracts",
  "Projects",
  "Archive",
  "Budget",
  "Policies",
  "Meetings",
  "Templates",
  "Invoices",
  "Designs",
];
const FILE_STEMS = [
  "Budget",
  "Forecast",
  "Minutes",
  "Roadmap",
  "Proposal",
  "Summary",
  "Invoice",
  "Plan",
  "Review",
  "Notes",
];
const EXTENSIONS = ["docx", "xlsx", "pptx", "pdf", "txt"];
/** Each level of an item's position takes 6 bits of the item GUID's index (up to 63 children). */
const LEVEL_BITS = 64;
const MAX_DEPTH = 3;

interface LibraryDefinition {
  readonly name: string;
  readonly urlName: string;
}

function libraries(root: BrowseRoot): LibraryDefinition[] {
  return root.oneDrive
    ? [{ name: "Documents", urlName: "Documents" }]
    : [
        { name: "Documents", urlName: "Shared Documents" },
        { name: "Site Assets", urlName: "SiteAssets" },
      ];
}

function encodePosition(positions: readonly number[]): number {
  return positions.reduce((code, position) => code * LEVEL_BITS + position + 1, 0);
}

function decodePosition(code: number): number[] {
  const positions: number[] = [];
  for (let rest = code; rest > 0; rest = Math.floor(rest / LEVEL_BITS)) {
    positions.unshift((rest % LEVEL_BITS) - 1);
  }
  return positions;
}

/** A deterministic browsable tree over one site or OneDrive. */
export class BrowseTree {
  constructor(private readonly root: BrowseRoot) {}

  /** What an empty browse request lists. */
  topLevel(): BrowseNode[] {
    return this.root.oneDrive ? [this.library(0)] : [this.site()];
  }

  children(node: BrowseNode): BrowseNode[] {
    const parts = node.itemKey.split(",");
    if (node.type === "site") {
      return libraries(this.root).map((_, index) => this.library(index));
    }
    if (node.type === "file") {
      return [];
    }
    const library = parseIndexedGuid(this.root.scope, parts[2] ?? "")?.index ?? 0;
    // The item GUID's index encodes [library, ...positions]; see item().
    const positions =
      parts.length === 4
        ? decodePosition(parseIndexedGuid(this.root.scope, parts[3] ?? "")?.index ?? 0).slice(1)
        : [];
    return this.childPositions(library, positions).map((position) =>
      this.item(library, [...positions, position]),
    );
  }

  /** The node an itemKey names, or undefined when the key is not one of this tree's. */
  find(itemKey: string): BrowseNode | undefined {
    const parts = itemKey.trim().toLowerCase().split(",");
    if (
      parts[0] !== this.root.siteGuid ||
      parts[1] !== this.root.webGuid ||
      parts.length < 2 ||
      parts.length > 4
    ) {
      return undefined;
    }
    if (parts.length === 2) {
      return this.root.oneDrive ? undefined : this.site();
    }
    const list = parseIndexedGuid(this.root.scope, parts[2] ?? "");
    if (list?.category !== GuidCategory.list || list.index >= libraries(this.root).length) {
      return undefined;
    }
    if (parts.length === 3) {
      return this.library(list.index);
    }
    const item = parseIndexedGuid(this.root.scope, parts[3] ?? "");
    const decoded = item?.category === GuidCategory.item ? decodePosition(item.index) : [];
    const positions = decoded.slice(1);
    if (decoded[0] !== list.index || positions.length === 0 || positions.length > MAX_DEPTH) {
      return undefined;
    }
    for (let depth = 0; depth < positions.length; depth++) {
      const available = this.childPositions(list.index, positions.slice(0, depth));
      const position = positions[depth] ?? -1;
      if (
        !available.includes(position) ||
        (depth < positions.length - 1 && !this.isFolder(list.index, positions.slice(0, depth + 1)))
      ) {
        return undefined;
      }
    }
    return this.item(list.index, positions);
  }

  /** Total size of every file: the session's `backupSizeInBytes`. */
  totalSize(): number {
    return libraries(this.root).reduce((sum, _, index) => sum + this.library(index).sizeInBytes, 0);
  }

  private site(): BrowseNode {
    const libs = libraries(this.root).map((_, index) => this.library(index));
    return {
      itemKey: `${this.root.siteGuid},${this.root.webGuid}`,
      name: this.root.siteName,
      type: "site",
      path: this.root.sitePath,
      webUrl: `${this.root.origin}${this.root.sitePath}`,
      itemsCount: libs.length,
      sizeInBytes: libs.reduce((sum, lib) => sum + lib.sizeInBytes, 0),
    };
  }

  private library(index: number): BrowseNode {
    const definition = libraries(this.root)[index] ?? { name: "Documents", urlName: "Documents" };
    const children = this.childPositions(index, []);
    const path = `${this.root.sitePath}/${definition.urlName}`;
    return {
      itemKey: `${this.root.siteGuid},${this.root.webGuid},${this.listGuid(index)}`,
      name: definition.name,
      type: "documentLibrary",
      path,
      webUrl: `${this.root.origin}${encodeURI(path)}`,
      itemsCount: children.length,
      sizeInBytes: children.reduce((sum, position) => sum + this.sizeOf(index, [position]), 0),
    };
  }

  private item(library: number, positions: readonly number[]): BrowseNode {
    const folder = this.isFolder(library, positions);
    const parentPath =
      positions.length === 1 ? this.library(library).path : this.item(library, positions.slice(0, -1)).path;
    const name = this.nameOf(library, positions);
    const path = `${parentPath}/${name}`;
    return {
      itemKey: `${this.root.siteGuid},${this.root.webGuid},${this.listGuid(library)},${indexedGuid(this.root.scope, GuidCategory.item, encodePosition([library, ...positions]))}`,
      name,
      type: folder ? "folder" : "file",
      path,
      webUrl: `${this.root.origin}${encodeURI(path)}`,
      itemsCount: folder ? this.childPositions(library, positions).length : 0,
      sizeInBytes: this.sizeOf(library, positions),
    };
  }

  private listGuid(library: number): string {
    return indexedGuid(this.root.scope, GuidCategory.list, library);
  }

  /** How many folders and files a container holds. */
  private shape(library: number, positions: readonly number[]): { folders: number; files: number } {
    const random = new SeededRandom(`${this.root.scope}/shape/${library}/${positions.join(".")}`);
    if (positions.length === 0) {
      return { folders: random.integer(2, 4), files: random.integer(3, 6) };
    }
    if (positions.length === 1) {
      return { folders: random.integer(0, 2), files: random.integer(2, 12) };
    }
    return { folders: 0, files: positions.length < MAX_DEPTH ? random.integer(1, 5) : 0 };
  }

  private childPositions(library: number, positions: readonly number[]): number[] {
    if (positions.length > 0 && !this.isFolder(library, positions)) {
      return [];
    }
    const { folders, files } = this.shape(library, positions);
    return Array.from({ length: folders + files }, (_, i) => i);
  }

  private isFolder(library: number, positions: readonly number[]): boolean {
    const position = positions[positions.length - 1] ?? 0;
    return position < this.shape(library, positions.slice(0, -1)).folders;
  }

  private nameOf(library: number, positions: readonly number[]): string {
    const position = positions[positions.length - 1] ?? 0;
    const random = new SeededRandom(`${this.root.scope}/name/${library}/${positions.join(".")}`);
    if (this.isFolder(library, positions)) {
      const offset = random.integer(0, FOLDER_NAMES.length - 1);
      return FOLDER_NAMES[(offset + position) % FOLDER_NAMES.length] ?? "Folder";
    }
    const stem = FILE_STEMS[random.integer(0, FILE_STEMS.length - 1)] ?? "File";
    const extension = EXTENSIONS[random.integer(0, EXTENSIONS.length - 1)] ?? "txt";
    return `${stem}-${position + 1}.${extension}`;
  }

  private sizeOf(library: number, positions: readonly number[]): number {
    if (!this.isFolder(library, positions)) {
      return new SeededRandom(`${this.root.scope}/size/${library}/${positions.join(".")}`).integer(
        1_000,
        5_000_000,
      );
    }
    return this.childPositions(library, positions).reduce(
      (sum, position) => sum + this.sizeOf(library, [...positions, position]),
      0,
    );
  }
}
