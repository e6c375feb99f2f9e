import { StateStore } from '../../local/state/store';
import {
  DELIVERY_COLLECTIONS,
  listDeliveries,
  type ApiDestinationDelivery,
} from '../../local/services/events/deliveries';

/** The local API destination the approval rules dispatch through. */
export const LOCAL_DISPATCH_DESTINATION = 'github-dispatch';

const RUNS = 'github/workflow-runs';

/** One workflow run a repository_dispatch started, as the local stand-in for GitHub records it. */
export interface LocalWorkflowRun<T> {
  readonly eventId: string;
  readonly dispatchedAt: string;
  readonly outcome: T;
}

/**
 * The local stand-in for GitHub's side of the approval loop. Offline, the local EventBridge keeps each
 * API destination request on disk instead of sending it; this reads the repository_dispatch requests of
 * the `github-dispatch` destination that arrived since `since`, runs each once (as GitHub starts one
 * workflow run per dispatch) and records the run, so a dispatch is never run twice. Earlier requests are
 * left alone: they belong to commands that already finished.
 */
export class LocalGitHub {
  private readonly store: StateStore;

  constructor(stateDir: string) {
    this.store = new StateStore(stateDir);
  }

  async runDispatches<T>(
    since: string,
    run: (body: string, delivery: ApiDestinationDelivery) => Promise<T>,
  ): Promise<LocalWorkflowRun<T>[]> {
    const pending = listDeliveries<ApiDestinationDelivery>(
      this.store,
      DELIVERY_COLLECTIONS.apiDestination(LOCAL_DISPATCH_DESTINATION),
    ).filter((delivery) => delivery.Time >= since && !this.store.get(RUNS, delivery.EventId));
    const runs: LocalWorkflowRun<T>[] = [];
    for (const delivery of pending) {
      const record = {
        eventId: delivery.EventId,
        dispatchedAt: delivery.Time,
        outcome: await run(delivery.Body, delivery),
      };
      this.store.put(RUNS, delivery.EventId, record);
      runs.push(record);
    }
    return runs;
  }
}
