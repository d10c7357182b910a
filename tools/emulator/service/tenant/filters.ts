/**
 * A strict reader for the small `$filter` subset the discovery APIs accept: `field op value` clauses
 * joined by one connective, optionally in parentheses. Anything else is a 400 that names the part it
 * could not read; a filter past the length or clause limit is `FilterLengthExceeded`.
 */
import { GraphServiceError } from "../../contract";

/** Longest `$filter` (characters) accepted before `FilterLengthExceeded`. */
export const MAX_FILTER_LENGTH = 2048;
/** Most comparisons in one `$filter` before `FilterLengthExceeded`. */
export const MAX_FILTER_CLAUSES = 20;

export type FilterOperator = "eq" | "lt" | "le" | "gt" | "ge";
export type FilterValueKind = "string" | "dateTime";

export interface FilterField {
  readonly operators: readonly FilterOperator[];
  readonly value: FilterValueKind;
}

export interface FilterClause {
  readonly field: string;
  readonly operator: FilterOperator;
  /** Strings unquoted; dateTimes as ms since the epoch. */
  readonly value: string | number;
}

export interface FilterGrammar {
  readonly fields: Readonly<Record<string, FilterField>>;
  /** The one connective allowed between clauses. */
  readonly connective: "and" | "or";
  /** Error code for a filter that does not parse or uses what the grammar lacks. */
  readonly errorCode: string;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A strict ISO 8601 instant with a zone (`Z` or `±hh:mm`), as ms; undefined otherwise. */
export function parseDateTime(text: unknown): number | undefined {
  if (typeof text !== "string" || !ISO_DATE_TIME.test(text)) {
    return undefined;
  }
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

const CLAUSE =
  /\s*(\()?\s*([A-Za-z][A-Za-z0-9/]*)\s+([A-Za-z]+)\s+('(?:[^']|'')*'|[0-9][0-9T:.+Z-]*)\s*(\))?\s*/y;
const CONNECTIVE = /(and|or)\s+/y;

/** Parses `text` against `grammar`; throws a {@link GraphServiceError} naming what is wrong. */
export function parseFilter(text: string, grammar: FilterGrammar): FilterClause[] {
  if (text.length > MAX_FILTER_LENGTH) {
    throw new GraphServiceError(
      400,
      "FilterLengthExceeded",
      `The $filter is longer than ${MAX_FILTER_LENGTH} characters.`,
    );
  }
  const clauses: FilterClause[] = [];
  let position = 0;
  for (;;) {
    CLAUSE.lastIndex = position;
    const match = CLAUSE.exec(text);
    if (match === null || (match[1] === undefined) !== (match[5] === undefined)) {
      throw invalid(grammar, `The $filter cannot be read at '${text.slice(position, position + 40)}'.`);
    }
    clauses.push(readClause(match[2] ?? "", match[3] ?? "", match[4] ?? "", grammar));
    if (clauses.length > MAX_FILTER_CLAUSES) {
      throw new GraphServiceError(
        400,
        "FilterLengthExceeded",
        `The $filter has more than ${MAX_FILTER_CLAUSES} comparisons.`,
      );
    }
    position = CLAUSE.lastIndex;
    if (position === text.length) {
      return clauses;
    }
    CONNECTIVE.lastIndex = position;
    const connective = CONNECTIVE.exec(text);
    if (connective === null || connective[1] !== grammar.connective) {
      throw invalid(
        grammar,
        `The $filter cannot be read at '${text.slice(position, position + 40)}'; clauses may only be joined with '${grammar.connective}'.`,
      );
    }
    position = CONNECTIVE.lastIndex;
  }
}

function readClause(field: string, operator: string, literal: string, grammar: FilterGrammar): FilterClause {
  const spec = grammar.fields[field];
  if (spec === undefined) {
    const known = Object.keys(grammar.fields).join(", ");
    throw invalid(grammar, `The $filter property '${field}' is not supported here. Supported: ${known}.`);
  }
  if (!(spec.operators as readonly string[]).includes(operator)) {
    throw invalid(
      grammar,
      `The $filter operator '${operator}' is not supported on '${field}'. Supported: ${spec.operators.join(", ")}.`,
    );
  }
  if (spec.value === "string") {
    if (!literal.startsWith("'")) {
      throw invalid(grammar, `The $filter value for '${field}' must be a quoted string.`);
    }
    return { field, operator: operator as FilterOperator, value: literal.slice(1, -1).replace(/''/g, "'") };
  }
  const time = parseDateTime(literal);
  if (time === undefined) {
    throw invalid(
      grammar,
      `The $filter value for '${field}' must be an ISO 8601 date and time such as 2024-05-12T10:01:00Z, got '${literal}'.`,
    );
  }
  return { field, operator: operator as FilterOperator, value: time };
}

function invalid(grammar: FilterGrammar, message: string): GraphServiceError {
  return new GraphServiceError(400, grammar.errorCode, message);
}
