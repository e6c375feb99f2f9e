import { templateError } from '../errors';

export type SubPart = { readonly literal: string } | { readonly variable: string };

/**
 * Splits an `Fn::Sub` string into literals and `${Variable}` references; `${!Text}` is the literal `${Text}`.
 */
export function parseSub(text: string): SubPart[] {
  const parts: SubPart[] = [];
  let rest = text;
  for (let start = rest.indexOf('${'); start >= 0; start = rest.indexOf('${')) {
    const end = rest.indexOf('}', start);
    if (end < 0) throw templateError(`Fn::Sub string ${JSON.stringify(text)} has an unterminated \${`);
    const inner = rest.slice(start + 2, end);
    if (start > 0) parts.push({ literal: rest.slice(0, start) });
    parts.push(inner.startsWith('!') ? { literal: `\${${inner.slice(1)}}` } : { variable: inner.trim() });
    rest = rest.slice(end + 1);
  }
  if (rest) parts.push({ literal: rest });
  return parts;
}

/** `Res.Attr.Sub` → `['Res', 'Attr.Sub']`; names without a dot are Refs. */
export function splitSubVariable(variable: string): [string, string | undefined] {
  const dot = variable.indexOf('.');
  return dot < 0 ? [variable, undefined] : [variable.slice(0, dot), variable.slice(dot + 1)];
}
