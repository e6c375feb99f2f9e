/**
 * The local AWS's one timestamp convention: records store epoch seconds (JSON-friendly, and what the
 * engine writes), handlers answer Dates as the SDK types them; the codec formats them per protocol.
 */
export const dateOf = (epochSeconds: number): Date => new Date(epochSeconds * 1000);

/** `{[member]: Date}` when the time is known, `{}` otherwise (optional timestamp members). */
export function dateMember<K extends string>(
  member: K,
  epochSeconds: number | undefined,
): { [P in K]?: Date } {
  return epochSeconds === undefined ? {} : ({ [member]: dateOf(epochSeconds) } as { [P in K]?: Date });
}
