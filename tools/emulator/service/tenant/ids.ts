/**
 * Identifiers of the seeded tenant. They look like Graph's (GUIDs, base64 restore point ids) but carry
 * their own position, so the tenant can turn any id back into the object it names in O(1), without a
 * table: 10,000 units per workload cost nothing until someone asks for one.
 */
import { SeededRandom } from "../../random";

/** What an indexed GUID names; the category is one hex digit inside the GUID. */
export const GuidCategory = {
  mailboxUnit: 0,
  siteUnit: 1,
  driveUnit: 2,
  user: 3,
  site: 4,
  web: 5,
  policy: 6,
  personalSite: 7,
  personalWeb: 8,
  list: 9,
  item: 10,
} as const;
export type GuidCategory = (typeof GuidCategory)[keyof typeof GuidCategory];

const HEX_DIGITS = "0123456789abcdef";
const VARIANT_DIGITS = "89ab";
/** The last GUID group holds the index: 12 hex digits. */
const MAX_INDEX = 0xffffffffffff;

/** Eight hex digits from one draw (the generator yields 32-bit values scaled into [0, 1)). */
function randomWord(random: SeededRandom): string {
  return Math.floor(random.next() * 0x100000000)
    .toString(16)
    .padStart(8, "0");
}

/**
 * A GUID (version 4 layout) for the `index`-th object of a category within a scope. Random-looking
 * digits come from the scope; the category is the digit after the variant and the index is the last
 * group, so {@link parseIndexedGuid} can recover both and check the rest.
 */
export function indexedGuid(scope: string, category: GuidCategory, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > MAX_INDEX) {
    throw new RangeError(`index out of range: ${index}`);
  }
  const random = new SeededRandom(`${scope}/${category}/${index}`);
  const first = randomWord(random);
  const second = randomWord(random);
  const third = randomWord(random);
  const variant = VARIANT_DIGITS[parseInt(third[7] ?? "0", 16) % 4] ?? "8";
  return `${first}-${second.slice(0, 4)}-4${second.slice(4, 7)}-${variant}${HEX_DIGITS[category] ?? "0"}${third.slice(0, 2)}-${index
    .toString(16)
    .padStart(12, "0")}`;
}

const INDEXED_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab]([0-9a-f])[0-9a-f]{2}-([0-9a-f]{12})$/;

/** The category and index of a GUID made by {@link indexedGuid} in this scope; undefined for any other text. */
export function parseIndexedGuid(
  scope: string,
  text: string,
): { readonly category: GuidCategory; readonly index: number } | undefined {
  const id = text.toLowerCase();
  const match = INDEXED_GUID.exec(id);
  if (match === null) {
    return undefined;
  }
  const category = parseInt(match[1] ?? "", 16) as GuidCategory;
  const index = parseInt(match[2] ?? "", 16);
  if (category > GuidCategory.item || indexedGuid(scope, category, index) !== id) {
    return undefined;
  }
  return { category, index };
}

/** Whether text has the 8-4-4-4-12 hex shape of a GUID (any version). */
export function isGuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

function toBase64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

/** Decodes standard base64 only when `text` is the canonical encoding of what it decodes to. */
function fromCanonicalBase64(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    return undefined;
  }
  const decoded = Buffer.from(text, "base64").toString("utf8");
  return toBase64(decoded) === text ? decoded : undefined;
}

/**
 * Restore point ids follow the structure of the one real id in the documentation (section 8.12):
 * base64 of `base64(<unitId>_1)_<epochSeconds>_14_1`. The tenant reads the unit and the time back out.
 */
export function encodeRestorePointId(unitId: string, protectionTimeInMs: number): string {
  const seconds = Math.floor(protectionTimeInMs / 1000);
  return toBase64(`${toBase64(`${unitId}_1`)}_${seconds}_14_1`);
}

export function decodeRestorePointId(
  id: string,
): { readonly unitId: string; readonly protectionTimeInMs: number } | undefined {
  const outer = fromCanonicalBase64(id);
  const parts = outer?.split("_");
  if (
    parts?.length !== 4 ||
    parts[2] !== "14" ||
    parts[3] !== "1" ||
    !/^[1-9][0-9]{0,11}$/.test(parts[1] ?? "")
  ) {
    return undefined;
  }
  const inner = fromCanonicalBase64(parts[0] ?? "");
  const match = inner === undefined ? null : /^([0-9a-f-]{36})_1$/.exec(inner);
  if (match === null || match[1] === undefined) {
    return undefined;
  }
  return { unitId: match[1], protectionTimeInMs: Number(parts[1]) * 1000 };
}

/** An opaque, URL-safe token drawn from a generator: browse session and search response ids. */
export function opaqueToken(random: SeededRandom, bytes: number): string {
  const buffer = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) {
    buffer[i] = Math.floor(random.next() * 256);
  }
  return buffer.toString("base64url");
}
