import type { StateStore } from '../../state/store';
import type { ChangeSetRecord, StackEvent, StackRecord } from './model';

const STACKS = 'cloudformation/stacks';
const CHANGE_SETS = 'cloudformation/change-sets';
const EVENTS = 'cloudformation/events';

/**
 * Stacks, change sets and events on disk (StateStore), with an in-memory copy: this process is the only
 * writer of its state directory, so reads never need the disk after the first load.
 */
export class CloudFormationRepository {
  private stacks?: Map<string, StackRecord>;
  private changeSets?: Map<string, ChangeSetRecord>;
  private readonly events = new Map<string, StackEvent[]>();

  constructor(private readonly store: StateStore) {}

  allStacks(): StackRecord[] {
    return [...this.stackMap().values()];
  }

  stack(stackId: string): StackRecord | undefined {
    return this.stackMap().get(stackId);
  }

  /** The stack a name or ARN stands for; by name only stacks not yet deleted are found, as in AWS. */
  findStack(nameOrId: string): StackRecord | undefined {
    const byId = this.stackMap().get(nameOrId);
    if (byId) return byId;
    return this.allStacks().find(
      (stack) => stack.StackName === nameOrId && stack.StackStatus !== 'DELETE_COMPLETE',
    );
  }

  putStack(stack: StackRecord): StackRecord {
    this.stackMap().set(stack.StackId, stack);
    this.store.put(STACKS, stack.StackId, stack);
    return stack;
  }

  allChangeSets(): ChangeSetRecord[] {
    return [...this.changeSetMap().values()];
  }

  changeSet(changeSetId: string): ChangeSetRecord | undefined {
    return this.changeSetMap().get(changeSetId);
  }

  putChangeSet(changeSet: ChangeSetRecord): ChangeSetRecord {
    this.changeSetMap().set(changeSet.ChangeSetId, changeSet);
    this.store.put(CHANGE_SETS, changeSet.ChangeSetId, changeSet);
    return changeSet;
  }

  deleteChangeSet(changeSetId: string): void {
    this.changeSetMap().delete(changeSetId);
    this.store.delete(CHANGE_SETS, changeSetId);
  }

  /** A stack's events, newest first. */
  stackEvents(stackId: string): StackEvent[] {
    let events = this.events.get(stackId);
    if (!events) {
      events = this.store.get<StackEvent[]>(EVENTS, stackId) ?? [];
      this.events.set(stackId, events);
    }
    return events;
  }

  addEvent(event: StackEvent): void {
    const events = this.stackEvents(event.StackId);
    events.unshift(event);
    this.store.put(EVENTS, event.StackId, events);
  }

  private stackMap(): Map<string, StackRecord> {
    this.stacks ??= new Map(this.store.list<StackRecord>(STACKS).map((stack) => [stack.StackId, stack]));
    return this.stacks;
  }

  private changeSetMap(): Map<string, ChangeSetRecord> {
    this.changeSets ??= new Map(
      this.store.list<ChangeSetRecord>(CHANGE_SETS).map((changeSet) => [changeSet.ChangeSetId, changeSet]),
    );
    return this.changeSets;
  }
}
