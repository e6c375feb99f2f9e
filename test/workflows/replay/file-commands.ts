import { readFileSync } from 'node:fs';

/**
 * Reads a runner file command (GITHUB_OUTPUT, GITHUB_ENV): `name=value` lines and multi-line
 * `name<<DELIMITER ... DELIMITER` blocks, the two forms @actions/core and shell scripts write.
 */
export function parseFileCommand(text: string, file: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter = ''] = heredoc;
      const end = lines.findIndex(
        (candidate, index) => index > i && candidate.replace(/\r$/, '') === delimiter,
      );
      if (end === -1) throw new Error(`${file}: no closing delimiter '${delimiter}' for '${name}'`);
      values[name] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const separator = line.indexOf('=');
    if (separator <= 0) throw new Error(`${file}: expected name=value or name<<DELIMITER, got: ${line}`);
    values[line.slice(0, separator)] = line.slice(separator + 1);
  }
  return values;
}

export function readFileCommand(file: string): Record<string, string> {
  return parseFileCommand(readFileSync(file, 'utf8'), file);
}
