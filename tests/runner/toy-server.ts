// The toy provider's "cloud": an HTTP server on 127.0.0.1 (port 0) holding items, logging every
// request in order, and failing on script (`failNext`), so tests can watch what the provider host did.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** A stored item. */
export interface ToyItem {
  id: string;
  name: string;
  value?: unknown;
  seq: number;
}

/** One request the server saw. */
export interface ToyRequest {
  method: string;
  path: string;
  /** The item name in the body, or of the item addressed. */
  name?: string;
  authorization?: string;
}

/** A scripted failure for the next request of one kind. */
export interface ToyFault {
  method: "POST" | "PUT" | "DELETE";
  /** `true`: the write happens, then the response says it failed (a partial creation). */
  partial?: boolean;
  /** `true`: the write happens and no response is ever sent (the caller dies waiting). */
  hang?: boolean;
  /** Let this many matching requests through first. Default 0. */
  after?: number;
  message: string;
}

/** A running toy server. */
export class ToyServer {
  readonly items = new Map<string, ToyItem>();
  readonly requests: ToyRequest[] = [];
  private readonly faults: ToyFault[] = [];
  private nextId = 1;
  private seq = 0;

  private constructor(private readonly server: http.Server) {}

  /** Starts a server on a free port. */
  static async start(): Promise<ToyServer> {
    const server = http.createServer();
    const toy = new ToyServer(server);
    server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
      void toy.handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return toy;
  }

  /** The base URL the provider is configured with. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Requests that changed something (POST, PUT, DELETE). */
  get writes(): ToyRequest[] {
    return this.requests.filter((request) => request.method !== "GET");
  }

  /** Makes the next request of `fault.method` fail. */
  failNext(fault: ToyFault): void {
    this.faults.push(fault);
  }

  /** Stops the server. */
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    let text = "";
    for await (const chunk of request) {
      text += String(chunk);
    }
    const body = text ? (JSON.parse(text) as { name?: string; value?: unknown }) : {};
    const method = request.method ?? "GET";
    const path = request.url ?? "/";
    const id = path.startsWith("/items/") ? decodeURIComponent(path.slice("/items/".length)) : undefined;
    const existing = id === undefined ? undefined : this.items.get(id);
    this.requests.push({
      method,
      path,
      ...((body.name ?? existing?.name) !== undefined ? { name: body.name ?? existing?.name } : {}),
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    });
    const faultIndex = this.faults.findIndex((candidate) => candidate.method === method);
    let fault: ToyFault | undefined;
    if (faultIndex !== -1) {
      const candidate = this.faults[faultIndex];
      if ((candidate.after ?? 0) > 0) {
        candidate.after = (candidate.after ?? 0) - 1;
      } else {
        fault = this.faults.splice(faultIndex, 1)[0];
      }
    }
    const reply = (status: number, payload?: unknown): void => {
      if (fault?.hang) {
        return;
      }
      response.writeHead(status, { "content-type": "application/json" });
      response.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    if (fault && !fault.partial && !fault.hang) {
      return reply(500, { message: fault.message });
    }
    switch (method) {
      case "POST": {
        const item: ToyItem = {
          id: `item-${this.nextId++}`,
          name: body.name ?? "",
          value: body.value,
          seq: ++this.seq,
        };
        this.items.set(item.id, item);
        return fault?.partial
          ? reply(500, { message: fault.message, partial: true, id: item.id, item })
          : reply(201, item);
      }
      case "GET":
        return existing ? reply(200, existing) : reply(404, { message: "not found" });
      case "PUT": {
        if (!existing) {
          return reply(404, { message: "not found" });
        }
        const item: ToyItem = {
          ...existing,
          name: body.name ?? existing.name,
          value: body.value,
          seq: ++this.seq,
        };
        this.items.set(item.id, item);
        return fault?.partial
          ? reply(500, { message: fault.message, partial: true, id: item.id, item })
          : reply(200, item);
      }
      case "DELETE":
        if (!existing) {
          return reply(404, { message: "not found" });
        }
        this.items.delete(existing.id);
        return reply(204);
      default:
        return reply(405, { message: `method ${method} not allowed` });
    }
  }
}
