import { checkTags, type Tag } from './input';
import type { StateStore } from '../../state/store';

const COLLECTION = 'sagemaker/tags';

/** Tags of any SageMaker resource, keyed by its ARN (the actions tag pipelines and executions with repo/sha/run URL). */
export class TagStore {
  constructor(private readonly store: StateStore) {}

  get(arn: string): Tag[] {
    return this.store.get<Tag[]>(COLLECTION, arn) ?? [];
  }

  add(arn: string, tags: unknown): Tag[] {
    const incoming = checkTags(tags);
    const merged = new Map(this.get(arn).map((tag) => [tag.Key, tag.Value]));
    for (const tag of incoming) merged.set(tag.Key, tag.Value);
    const result = [...merged].map(([Key, Value]) => ({ Key, Value }));
    this.store.put(COLLECTION, arn, result);
    return incoming;
  }

  delete(arn: string, keys?: readonly string[]): void {
    if (!keys) {
      this.store.delete(COLLECTION, arn);
      return;
    }
    this.store.put(
      COLLECTION,
      arn,
      this.get(arn).filter((tag) => !keys.includes(tag.Key)),
    );
  }
}
