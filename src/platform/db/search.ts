/**
 * A LIKE pattern that finds `search` anywhere in a lower-cased text: its `%`, `_` and `\` are
 * escaped, so a search for "50%" finds "50%" and nothing else.
 */
export function containsPattern(search: string): string {
  return `%${likeLiteral(search)}%`;
}

/** `search` lower-cased with its `%`, `_` and `\` escaped, to build other LIKE patterns from. */
export function likeLiteral(search: string): string {
  return search.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase();
}
