/**
 * The people and sites of the seeded tenant, and the protection units over them. Everything is a pure
 * function of (seed, workload, index) and the day the tenant was created, computed when asked for.
 *
 * - Person `i` (0-based) is `user{i+1, 4 digits}@{domain}` with a seeded display name and Entra object
 *   id. Mailbox unit `i` and OneDrive unit `i` both belong to person `i`.
 * - Site `i` is `https://{tenant}.sharepoint.com/sites/{topic}-{i+1, 4 digits}`.
 * - Every 50th unit of each workload (indexes 49, 99, ...) is on hold.
 * - Every 40th unit (indexes 39, 79, ...) was added to its policy one day before the tenant was created;
 *   the others between 14 and 56 days before.
 */
import { SeededRandom } from "../../random";
import { GuidCategory, indexedGuid, parseIndexedGuid } from "./ids";
import type { SeededProtectionUnit, Workload } from "./types";

const DAY_IN_MS = 24 * 60 * 60 * 1000;
export const HOLD_EVERY = 50;
export const RECENTLY_ADDED_EVERY = 40;
const UNIT_CACHE_LIMIT = 60_000;

const FIRST_NAMES = [
  "Adele", "Alex", "Allan", "Bianca", "Carol", "Christie", "Debra", "Diego", "Emily", "Enrico",
  "Grady", "Henrietta", "Irvin", "Isaiah", "Johanna", "Joni", "Lee", "Lidia", "Lynne", "Megan",
  "Miriam", "Nestor", "Patti", "Pradeep", "Raul", "Tomas", "Vance", "Wen", "Yuki", "Zrinka",
]; // prettier-ignore
const LAST_NAMES = [
  "Vance", "Wilber", "Deyoung", "Adams", "Smith", "Cline", "Berger", "Soto", "Braun", "Bianchi",
  "Archie", "Gonzalez", "Sayers", "Patel", "Lauer", "Sherman", "Gu", "Holloway", "Robbins", "Bowen",
  "Garcia", "Wilke", "Fernandez", "Gupta", "Ortiz", "Novak", "Ibrahim", "Tanaka", "Kim", "Larsen",
]; // prettier-ignore
const SITE_TOPICS = [
  "finance", "legal", "marketing", "sales", "engineering", "hr", "operations", "research",
  "support", "procurement", "design", "security", "facilities", "training", "projects", "board",
]; // prettier-ignore

const UNIT_CATEGORY: Readonly<Record<Workload, GuidCategory>> = {
  exchange: GuidCategory.mailboxUnit,
  sharePoint: GuidCategory.siteUnit,
  oneDriveForBusiness: GuidCategory.driveUnit,
};

const POLICY_INDEX: Readonly<Record<Workload, number>> = {
  exchange: 0,
  sharePoint: 1,
  oneDriveForBusiness: 2,
};

function pad(index: number): string {
  return String(index + 1).padStart(4, "0");
}

function pick(list: readonly string[], random: SeededRandom): string {
  return list[Math.floor(random.next() * list.length)] ?? "";
}

export interface DirectoryOptions {
  readonly seed: string;
  readonly unitsPerWorkload: number;
  readonly domain: string;
  /** Midnight UTC of the day the tenant was created: the anchor of every unit's protection start. */
  readonly anchorInMs: number;
}

/** Lookups from what callers know (emails, URLs, ids) to units, all O(1). */
export class Directory {
  private readonly tenantName: string;
  /** Units already computed, by `workload/index`; cleared when it grows past {@link UNIT_CACHE_LIMIT}. */
  private readonly unitCache = new Map<string, SeededProtectionUnit>();
  private readonly policyIds = new Map<Workload, string>();

  constructor(private readonly options: DirectoryOptions) {
    this.tenantName = options.domain.split(".")[0] ?? options.domain;
  }

  get size(): number {
    return this.options.unitsPerWorkload;
  }

  get sharePointHost(): string {
    return `${this.tenantName}.sharepoint.com`;
  }

  get oneDriveHost(): string {
    return `${this.tenantName}-my.sharepoint.com`;
  }

  policyId(workload: Workload): string {
    let id = this.policyIds.get(workload);
    if (id === undefined) {
      id = indexedGuid(this.options.seed, GuidCategory.policy, POLICY_INDEX[workload]);
      this.policyIds.set(workload, id);
    }
    return id;
  }

  unitAt(workload: Workload, index: number): SeededProtectionUnit | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      return undefined;
    }
    const key = `${workload}/${index}`;
    let unit = this.unitCache.get(key);
    if (unit === undefined) {
      if (this.unitCache.size >= UNIT_CACHE_LIMIT) {
        this.unitCache.clear();
      }
      unit = this.computeUnit(workload, index);
      this.unitCache.set(key, unit);
    }
    return unit;
  }

  private computeUnit(workload: Workload, index: number): SeededProtectionUnit {
    const common = {
      id: indexedGuid(this.options.seed, UNIT_CATEGORY[workload], index),
      workload,
      policyId: this.policyId(workload),
      onHold: (index + 1) % HOLD_EVERY === 0,
      protectedSince: new Date(this.protectedSinceInMs(workload, index)),
    };
    if (workload === "sharePoint") {
      const site = this.site(index);
      return { ...common, siteId: site.siteId, siteName: site.name, siteWebUrl: site.webUrl };
    }
    const person = this.person(index);
    return {
      ...common,
      email: person.email,
      directoryObjectId: person.directoryObjectId,
      displayName: person.displayName,
    };
  }

  unitById(id: string): SeededProtectionUnit | undefined {
    const parsed = parseIndexedGuid(this.options.seed, id);
    const workload = (Object.keys(UNIT_CATEGORY) as Workload[]).find(
      (w) => UNIT_CATEGORY[w] === parsed?.category,
    );
    return parsed === undefined || workload === undefined ? undefined : this.unitAt(workload, parsed.index);
  }

  /** Person index for `user0001@domain` (case-insensitive); undefined for anyone else. */
  personIndexByEmail(email: string): number | undefined {
    const match = /^user(\d{4,})@(.+)$/.exec(email.trim().toLowerCase());
    if (match === null || match[2] !== this.options.domain.toLowerCase()) {
      return undefined;
    }
    const index = Number(match[1]) - 1;
    return index >= 0 && index < this.size && pad(index) === match[1] ? index : undefined;
  }

  personIndexByObjectId(directoryObjectId: string): number | undefined {
    const parsed = parseIndexedGuid(this.options.seed, directoryObjectId);
    return parsed?.category === GuidCategory.user && parsed.index < this.size ? parsed.index : undefined;
  }

  /** Site index for its URL (scheme and host case-insensitive, a trailing slash tolerated). */
  siteIndexByUrl(webUrl: string): number | undefined {
    let url: URL;
    try {
      url = new URL(webUrl.trim());
    } catch {
      return undefined;
    }
    const match = /^\/sites\/([a-z]+)-(\d{4,})\/?$/.exec(url.pathname);
    if (
      url.protocol !== "https:" ||
      url.host !== this.sharePointHost ||
      url.search !== "" ||
      match === null
    ) {
      return undefined;
    }
    const index = Number(match[2]) - 1;
    return index >= 0 &&
      index < this.size &&
      this.site(index).webUrl === `https://${url.host}/sites/${match[1]}-${match[2]}`
      ? index
      : undefined;
  }

  /** Site index for its full composite id `host,siteGuid,webGuid`. */
  siteIndexBySiteId(siteId: string): number | undefined {
    const [host, siteGuid] = siteId.trim().toLowerCase().split(",");
    const parsed = parseIndexedGuid(this.options.seed, siteGuid ?? "");
    if (parsed?.category !== GuidCategory.site || parsed.index >= this.size || host !== this.sharePointHost) {
      return undefined;
    }
    return this.site(parsed.index).siteId === siteId.trim().toLowerCase() ? parsed.index : undefined;
  }

  /** The OneDrive site of person `index`: `https://{tenant}-my.sharepoint.com/personal/user0001_contoso_com`. */
  personalSite(index: number): {
    readonly siteGuid: string;
    readonly webGuid: string;
    readonly webUrl: string;
    readonly path: string;
  } {
    const email = this.person(index).email;
    const path = `/personal/${email.replace(/[@.]/g, "_")}`;
    return {
      siteGuid: indexedGuid(this.options.seed, GuidCategory.personalSite, index),
      webGuid: indexedGuid(this.options.seed, GuidCategory.personalWeb, index),
      webUrl: `https://${this.oneDriveHost}${path}`,
      path,
    };
  }

  site(index: number): {
    readonly siteGuid: string;
    readonly webGuid: string;
    readonly siteId: string;
    readonly name: string;
    readonly webUrl: string;
    readonly path: string;
  } {
    const topic = pick(SITE_TOPICS, new SeededRandom(`${this.options.seed}/site-topic/${index}`));
    const siteGuid = indexedGuid(this.options.seed, GuidCategory.site, index);
    const webGuid = indexedGuid(this.options.seed, GuidCategory.web, index);
    const path = `/sites/${topic}-${pad(index)}`;
    return {
      siteGuid,
      webGuid,
      siteId: `${this.sharePointHost},${siteGuid},${webGuid}`,
      name: `${topic[0]?.toUpperCase() ?? ""}${topic.slice(1)} ${pad(index)}`,
      webUrl: `https://${this.sharePointHost}${path}`,
      path,
    };
  }

  person(index: number): {
    readonly email: string;
    readonly displayName: string;
    readonly directoryObjectId: string;
  } {
    const random = new SeededRandom(`${this.options.seed}/person/${index}`);
    return {
      email: `user${pad(index)}@${this.options.domain}`,
      displayName: `${pick(FIRST_NAMES, random)} ${pick(LAST_NAMES, random)}`,
      directoryObjectId: indexedGuid(this.options.seed, GuidCategory.user, index),
    };
  }

  private protectedSinceInMs(workload: Workload, index: number): number {
    if ((index + 1) % RECENTLY_ADDED_EVERY === 0) {
      return this.options.anchorInMs - DAY_IN_MS;
    }
    const days = new SeededRandom(`${this.options.seed}/protected-since/${workload}/${index}`).integer(
      14,
      56,
    );
    return this.options.anchorInMs - days * DAY_IN_MS;
  }
}
