/**
 * Options given more than once. yargs turns a repeated option into an array;
 * --ca-file and --trust-anchor take several files that way, and every other
 * option given twice is a usage error that says so (never an array reaching
 * code that expects one value).
 */

/** Options that may be given several times, each time with one more file. */
export const MULTI_OPTIONS: ReadonlySet<string> = new Set(['ca-file', 'trust-anchor']);

/** The usage error for the first single-valued option given more than once, or null. */
export function repeatedOption(args: Record<string, unknown>): string | null {
  for (const [key, value] of Object.entries(args)) {
    // yargs also sets camelCase copies (caFile) and aliases (h); the dashed names are the ones typed.
    if (key === '_' || key === '$0' || MULTI_OPTIONS.has(key) || /[A-Z]/.test(key) || !Array.isArray(value)) continue;
    const flag = key.length === 1 ? `-${key}` : `--${key}`;
    return `${flag} was given ${value.length} times; give it once`;
  }
  return null;
}

/** The values of an option that may be repeated: undefined when absent, else every value in order. */
export function valuesOf(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).map(String);
}
