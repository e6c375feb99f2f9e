import type { Readable } from 'node:stream';

/** Keys a type declares without `?` (the SDK's required members, typed `T | undefined` all the same). */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type OptionalKeys<T> = Exclude<keyof T, RequiredKeys<T>>;

/**
 * An SDK request type as a handler receives it after the codec checked it against the model: the SDK
 * types required members `X | undefined` (so clients can build requests step by step), but a member the
 * model requires is always there once validated. Applies to nested structures and lists too.
 */
export type Validated<T> = T extends Date | Buffer | Uint8Array | Readable
  ? T
  : T extends readonly (infer Item)[]
    ? Validated<Item>[]
    : T extends object
      ? { [K in RequiredKeys<T>]: Validated<NonNullable<T[K]>> } & {
          [K in OptionalKeys<T>]?: Validated<NonNullable<T[K]>>;
        }
      : T;
