/**
 * The AWS SDK warns on Node 20 about its releases after January 2027 needing Node 22. The lockfile pins
 * versions that support Node 20 (the version these machines have), so in every command's and test's
 * output the warning is noise; every other warning still goes through.
 */
export function quietNodeVersionWarning(): void {
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const options = rest[0];
    const type = typeof options === 'string' ? options : (options as { type?: string } | undefined)?.type;
    if (type === 'NodeVersionSupportWarning' || String(warning).includes('will require node >=22')) return;
    emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}
