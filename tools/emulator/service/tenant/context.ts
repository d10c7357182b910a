/**
 * What the tenant's route modules share: the directory, the clock, the paging size, and the little
 * state the tenant keeps (search responses, browse sessions, the service status).
 */
import type { EmulatorClock } from "../../clock";
import type { SeededRandom } from "../../random";
import type { Directory } from "./directory";
import type { ServiceStatusController } from "./serviceStatus";
import type { SearchResponseRecord } from "./types";

/** Search responses kept for granular mailbox artifacts; the oldest are forgotten past this many. */
export const MAX_SEARCH_RESPONSES = 10_000;

export class SearchRegistry {
  private readonly records = new Map<string, SearchResponseRecord>();

  add(id: string, record: SearchResponseRecord): void {
    this.records.set(id, record);
    if (this.records.size > MAX_SEARCH_RESPONSES) {
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) {
        this.records.delete(oldest);
      }
    }
  }

  get(id: string): SearchResponseRecord | undefined {
    return this.records.get(id);
  }
}

export interface TenantContext {
  readonly seed: string;
  readonly directory: Directory;
  readonly clock: EmulatorClock;
  readonly pageSize: number;
  /** Draws opaque ids (search responses, browse sessions) in creation order, so runs repeat. */
  readonly random: SeededRandom;
  readonly searches: SearchRegistry;
  readonly service: ServiceStatusController;
}
