/**
 * Makes strings from the network safe for a terminal: control characters,
 * escape sequences, bidi overrides and other invisible code points become
 * visible `\xNN` / `\u{…}` escapes, and very long strings are cut.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\u{e0000}-\u{e0fff}]|[\ud800-\udfff]/gu;

export function escapeTerminal(input: unknown, maxLength = 300): string {
  let s = typeof input === 'string' ? input : String(input);
  if (s.length > maxLength) s = `${s.slice(0, maxLength)}… (${s.length - maxLength} more characters)`;
  return s.replace(UNSAFE, (ch) => {
    const cp = ch.codePointAt(0)!;
    return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u{${cp.toString(16)}}`;
  });
}
