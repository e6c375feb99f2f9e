/** `1h 2m 3s`, `4m 5s`, `6.2s`: short and readable in logs and tables. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Number(seconds.toFixed(1))}s`;
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  return hours > 0 ? `${hours}h ${minutes}m ${rest}s` : `${minutes}m ${rest}s`;
}

/** Seconds between two instants, or undefined when the start is unknown (the end defaults to now). */
export function secondsBetween(
  start: Date | undefined,
  end: Date | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!start) return undefined;
  return Math.max(0, ((end?.getTime() ?? now) - start.getTime()) / 1000);
}

/** Six significant digits, no trailing zeros: 2.23457, 0.5, 12. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/\.?0+$/, '');
}
