const ISO_DURATION =
  /^P?(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

const UNIT_MS = [365 * 86_400_000, 30 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000];

/**
 * Milliseconds in an ISO 8601 duration such as `P30D` or `PT1H` (CacheConfig.ExpireAfter). The leading
 * `P` is optional and case is ignored, because SDK-written definitions in the wild carry forms like `10d`.
 */
export function parseDuration(text: string): number {
  const match = ISO_DURATION.exec(text.trim());
  const parts = match?.slice(1) ?? [];
  if (!match || parts.every((part) => part === undefined) || /T$/i.test(text.trim())) {
    throw new Error(`ExpireAfter '${text}' is not an ISO 8601 duration; expected e.g. P30D, PT1H or P1DT12H`);
  }
  return parts.reduce((total, part, index) => total + (part ? Number(part) * (UNIT_MS[index] ?? 0) : 0), 0);
}
