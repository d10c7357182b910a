/**
 * Validation of `artifactQuery` in `restorePoints/search` (Exchange granular search).
 *
 * The documentation disagrees with itself (Graph docs: restorepoint-search vs resources/artifactquery): the
 * artifactQuery page allows `-like`, `-eq` and `-and` over `Subject`, `Sender`, `Participants`,
 * `HasAttachment` and `MessageKind`, while the search example uses `-contains`, `-or`, `sender` and
 * `recipient`. The emulator accepts the union of both and nothing else: property names are case-insensitive,
 * values are quoted (straight or typographic quotes, as in the example) except booleans, `-like` allows only
 * a trailing `*`, and every other token is a 400 `InvalidSearchRequest` that names it. Beta also takes
 * `structuredQueryExpression`; exactly one of the two expressions must be sent.
 */
import type { ApiVersion } from "../../contract";
import { GraphServiceError } from "../../contract";
import { checkProperties, isObject } from "../body";

const PROPERTIES = ["subject", "sender", "recipient", "participants", "hasattachment", "messagekind"];
const OPERATORS = ["-like", "-eq", "-contains"];
const MESSAGE_KINDS = ["email", "note", "task", "contact", "calendar"];
const GRANULAR_ITEMS = ["email", "calendar", "contact", "note", "task"];
const MAX_EXPRESSION_LENGTH = 1024;

const TOKEN = /\s*(\(|\)|-[A-Za-z]+|'[^']*'|‘[^’]*’|[A-Za-z0-9@._*]+)/y;

function invalid(message: string): GraphServiceError {
  return new GraphServiceError(400, "InvalidSearchRequest", message);
}

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  let position = 0;
  while (position < expression.length) {
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(expression);
    if (match === null) {
      if (expression.slice(position).trim() === "") {
        break;
      }
      throw invalid(
        `artifactQuery.queryExpression cannot be read at '${expression.slice(position, position + 30).trim()}'.`,
      );
    }
    tokens.push(match[1] ?? "");
    position = TOKEN.lastIndex;
  }
  return tokens;
}

/** Recursive descent over `term ((-and|-or) term)*`, `term := ( expr ) | property operator value`. */
class ExpressionReader {
  private position = 0;

  constructor(private readonly tokens: readonly string[]) {}

  readAll(): void {
    this.readExpression();
    if (this.position < this.tokens.length) {
      throw invalid(`artifactQuery.queryExpression has an unexpected '${this.tokens[this.position] ?? ""}'.`);
    }
  }

  private next(what: string): string {
    const token = this.tokens[this.position++];
    if (token === undefined) {
      throw invalid(`artifactQuery.queryExpression ends where ${what} was expected.`);
    }
    return token;
  }

  private readExpression(): void {
    this.readTerm();
    while (this.position < this.tokens.length && this.tokens[this.position] !== ")") {
      const connective = this.next("-and or -or").toLowerCase();
      if (connective !== "-and" && connective !== "-or") {
        throw invalid(`artifactQuery.queryExpression: '${connective}' is not a connective; use -and or -or.`);
      }
      this.readTerm();
    }
  }

  private readTerm(): void {
    const first = this.next("a comparison");
    if (first === "(") {
      this.readExpression();
      if (this.tokens[this.position] !== ")") {
        throw invalid("artifactQuery.queryExpression has an unclosed '('.");
      }
      this.position++;
      return;
    }
    const property = first.toLowerCase();
    if (!PROPERTIES.includes(property)) {
      throw invalid(
        `artifactQuery.queryExpression: '${first}' is not a searchable property (${PROPERTIES.join(", ")}).`,
      );
    }
    const operator = this.next("an operator").toLowerCase();
    if (!OPERATORS.includes(operator)) {
      throw invalid(
        `artifactQuery.queryExpression: '${operator}' is not a supported operator (${OPERATORS.join(", ")}).`,
      );
    }
    checkValue(property, operator, this.next("a value"));
  }
}

function checkValue(property: string, operator: string, token: string): void {
  const quoted = /^['‘]/.test(token);
  const value = quoted ? token.slice(1, -1) : token;
  if (property === "hasattachment") {
    if (operator !== "-eq" || !/^(true|false)$/i.test(value)) {
      throw invalid("artifactQuery.queryExpression: HasAttachment takes -eq true or -eq false.");
    }
    return;
  }
  if (!quoted) {
    throw invalid(`artifactQuery.queryExpression: the value '${token}' for ${property} must be quoted.`);
  }
  if (property === "messagekind" && !MESSAGE_KINDS.includes(value.toLowerCase())) {
    throw invalid(`artifactQuery.queryExpression: MessageKind is one of ${MESSAGE_KINDS.join(", ")}.`);
  }
  const star = value.indexOf("*");
  if (star !== -1 && (operator !== "-like" || star !== value.length - 1)) {
    throw invalid("artifactQuery.queryExpression: '*' is allowed only at the end of a -like value.");
  }
}

function checkStructured(value: unknown): void {
  if (!isObject(value)) {
    throw invalid("artifactQuery.structuredQueryExpression must be an object.");
  }
  checkProperties(value, {
    allowed: ["senders", "recipients", "subjects", "hasAttachment", "items"],
    typeName: "microsoft.graph.restoreSearchArtifactQueryExpression",
    path: "artifactQuery.structuredQueryExpression.",
  });
  for (const key of ["senders", "recipients", "subjects", "items"]) {
    const list = value[key];
    if (
      list !== undefined &&
      (!Array.isArray(list) || list.some((entry) => typeof entry !== "string" || entry === ""))
    ) {
      throw invalid(`artifactQuery.structuredQueryExpression.${key} must be an array of non-empty strings.`);
    }
  }
  const items = (value.items ?? []) as string[];
  const unknownItem = items.find((item) => !GRANULAR_ITEMS.includes(item));
  if (unknownItem !== undefined) {
    throw invalid(
      `artifactQuery.structuredQueryExpression.items: '${unknownItem}' is not one of ${GRANULAR_ITEMS.join(", ")}.`,
    );
  }
  if (value.hasAttachment !== undefined && typeof value.hasAttachment !== "boolean") {
    throw invalid("artifactQuery.structuredQueryExpression.hasAttachment must be a boolean.");
  }
}

/** Validates an `artifactQuery`; returns a canonical text of the query (it seeds the hit counts). */
export function checkArtifactQuery(value: unknown, apiVersion: ApiVersion): string {
  if (!isObject(value)) {
    throw invalid("artifactQuery must be an object.");
  }
  const allowed = [
    "artifactType",
    "queryExpression",
    ...(apiVersion === "beta" ? ["structuredQueryExpression"] : []),
  ];
  checkProperties(value, { allowed, typeName: "microsoft.graph.artifactQuery", path: "artifactQuery." });
  if (value.artifactType !== "message") {
    throw invalid("artifactQuery.artifactType is required and must be 'message'.");
  }
  const expression = value.queryExpression;
  const structured = value.structuredQueryExpression;
  if ((expression === undefined) === (structured === undefined)) {
    throw invalid("artifactQuery needs exactly one of queryExpression or structuredQueryExpression.");
  }
  if (structured !== undefined) {
    checkStructured(structured);
    return JSON.stringify(structured);
  }
  if (typeof expression !== "string" || expression.trim() === "") {
    throw invalid("artifactQuery.queryExpression must be a non-empty string.");
  }
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new GraphServiceError(
      400,
      "FilterLengthExceeded",
      `artifactQuery.queryExpression is longer than ${MAX_EXPRESSION_LENGTH} characters.`,
    );
  }
  new ExpressionReader(tokenize(expression)).readAll();
  return expression;
}
