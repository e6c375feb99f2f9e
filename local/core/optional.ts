/** `{name: value}` when the value is defined, else `{}`: spreads optional members under exactOptionalPropertyTypes. */
export function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}
