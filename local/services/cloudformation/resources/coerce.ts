import { isObject } from '../template/template';

/**
 * Template values reach resources as the template wrote them, and `Ref` of a Number parameter is a string;
 * service APIs want numbers and booleans. Converts the members named in `numbers` / `booleans` at any depth.
 */
export function coerceMembers(
  value: unknown,
  fields: { readonly numbers: ReadonlySet<string>; readonly booleans?: ReadonlySet<string> },
): unknown {
  if (Array.isArray(value)) return value.map((entry) => coerceMembers(entry, fields));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => {
      if (fields.numbers.has(key) && typeof entry === 'string' && entry.trim() !== '')
        return [key, Number(entry)];
      if (fields.booleans?.has(key) && typeof entry === 'string') return [key, entry === 'true'];
      return [key, coerceMembers(entry, fields)];
    }),
  );
}
