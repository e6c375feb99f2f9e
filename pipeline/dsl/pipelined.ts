import type { Expression } from './expressions';

/**
 * A service request type in which every value may also be an expression of the same kind: what step
 * Arguments hold. Built from the AWS SDK's own request types, so argument names and enums are checked.
 */
export type Pipelined<T> = T extends string
  ? T | Expression<string>
  : T extends number
    ? T | Expression<number>
    : T extends boolean
      ? T | Expression<boolean>
      : T extends Date
        ? T
        : T extends readonly (infer Item)[]
          ? readonly Pipelined<Item>[]
          : T extends object
            ? { readonly [K in keyof T]: Pipelined<T[K]> }
            : T;
