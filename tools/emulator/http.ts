/**
 * Small HTTP helpers shared by the emulator's endpoints: reading a bounded body, writing JSON, and the
 * one place Graph's error envelope is built.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Graph's JSON content type on success and error bodies. */
export const GRAPH_JSON_CONTENT_TYPE =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/** The largest request body the emulator reads (Graph documents 4 MB for JSON batches and payloads). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Thrown when a body is larger than {@link MAX_BODY_BYTES}. */
export class BodyTooLargeError extends Error {
  constructor() {
    super(`The request body is larger than ${MAX_BODY_BYTES} bytes.`);
    this.name = "BodyTooLargeError";
  }
}

/** Thrown when the client goes away before its request body arrived. */
export class ClientAbortedError extends Error {
  constructor() {
    super("The client closed the connection before sending the whole request.");
    this.name = "ClientAbortedError";
  }
}

/** Reads the whole request body (up to the limit) as a Buffer. */
export function readBody(request: IncomingMessage, limitInBytes = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitInBytes) {
        tooLarge = true;
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => (tooLarge ? reject(new BodyTooLargeError()) : resolve(Buffer.concat(chunks))));
    request.on("error", reject);
    request.on("close", () => {
      if (!request.complete) {
        reject(new ClientAbortedError());
      }
    });
  });
}

/** The media type of a `Content-Type` header, lower-cased, without parameters. */
export function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(";")[0]?.trim().toLowerCase();
  return type === undefined || type === "" ? undefined : type;
}

/** The value of a header that may repeat; the first value wins. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Writes a JSON (or empty) response unless the socket is already gone. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
  contentType = "application/json; charset=utf-8",
): void {
  if (response.destroyed || response.headersSent) {
    return;
  }
  const text = body === undefined || status === 204 ? undefined : JSON.stringify(body);
  const allHeaders: Record<string, string | number> = { ...headers };
  if (text !== undefined) {
    allHeaders["content-type"] = contentType;
    allHeaders["content-length"] = Buffer.byteLength(text);
  }
  response.writeHead(status, allHeaders);
  response.end(text);
}

/** Graph's timestamp style in `innerError.date`: ISO 8601 to the second, no zone suffix. */
export function graphErrorDate(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** Identifies one Graph request in responses and errors. */
export interface RequestIds {
  readonly requestId: string;
  readonly clientRequestId: string;
}

/** Graph's error envelope (specification section 5.1). */
export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; "request-id": string; "client-request-id": string };
  };
}

/** Builds the envelope; the only place it is made. */
export function graphErrorBody(
  code: string,
  message: string,
  ids: RequestIds,
  date: Date = new Date(),
): GraphErrorBody {
  return {
    error: {
      code,
      message,
      innerError: {
        date: graphErrorDate(date),
        "request-id": ids.requestId,
        "client-request-id": ids.clientRequestId,
      },
    },
  };
}
