import { validationError } from '../../core/errors';
import type { StateStore } from '../../state/store';

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

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

/**
 * Tags as the API takes them: a list of {Key, Value} (max 50, keys 1-128 characters). Checked here too:
 * in-process callers (pipeline steps, CloudFormation) do not pass the codec.
 */
export function checkTags(tags: unknown): Tag[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags) || tags.length > 50)
    throw validationError('Tags must be a list of at most 50 {Key, Value} objects');
  return tags.map((tag: unknown, index) => {
    const { Key, Value } = (tag ?? {}) as { Key?: unknown; Value?: unknown };
    if (typeof Key !== 'string' || Key.length < 1 || Key.length > 128) {
      throw validationError(
        `Tags[${index}].Key must be a string of 1-128 characters; got ${JSON.stringify(Key)}`,
      );
    }
    return { Key, Value: typeof Value === 'string' ? Value : '' };
  });
}
