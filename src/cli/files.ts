/**
 * Reading the files the command line names (--ca-file, --trust-anchor,
 * --domains-file) so that no file can make the tool hang or grow without
 * bound: only regular files (never /dev/zero, a FIFO or a directory), read up
 * to a size cap; a domains list is read line by line with a cap on the length
 * of a line (stdin included). Every refusal is one line for the user.
 */
import { closeSync, constants, createReadStream, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';

/** A file the tool will not read; the message is one line, prefixed with the option. */
export class FileRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileRefused';
  }
}

const mb = (n: number): string => `${Math.round(n / 1024 / 1024)} MB`;

const WORDS: Record<string, string> = { ENOENT: 'there is no such file', EACCES: 'permission denied', EISDIR: 'it is a directory' };
const withHint = (text: string, hint: string): string => (hint ? `${text}. ${hint}` : text);

function notRegular(option: string, path: string, hint: string): FileRefused {
  return new FileRefused(withHint(`${option}: ${path} is not a regular file (a directory, device or FIFO is never read)`, hint));
}

function cannotRead(option: string, path: string, err: unknown, hint: string): FileRefused {
  const e = err as NodeJS.ErrnoException;
  return new FileRefused(withHint(`${option}: cannot read ${path}: ${(e.code && WORDS[e.code]) ?? e.code ?? e.message}`, hint));
}

/** Checks that `path` is a regular file before anything opens it (opening a FIFO would block). */
function assertRegular(option: string, path: string, hint: string): void {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw cannotRead(option, path, err, hint);
  }
  if (!st.isFile()) throw notRegular(option, path, hint);
}

/** The whole content of a regular file of at most `maxBytes`; `hint` says what the file should hold. */
export function readRegularFile(option: string, path: string, maxBytes: number, hint = ''): Buffer {
  assertRegular(option, path, hint);
  let fd: number;
  try {
    // Non-blocking open: should the path have been swapped for a FIFO since the check, open() does not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw cannotRead(option, path, err, hint);
  }
  try {
    if (!fstatSync(fd).isFile()) throw notRegular(option, path, hint);
    const size = fstatSync(fd).size;
    if (size > maxBytes) throw new FileRefused(`${option}: ${path} is larger than ${mb(maxBytes)} (${mb(size)})`);
    // Read at most maxBytes + 1, whatever the size said: a file that grows while we read is cut off, not followed.
    const buf = Buffer.alloc(Math.min(maxBytes + 1, Math.max(size, 0) + 1));
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
      if (got === buf.length) break;
    }
    if (got > maxBytes) throw new FileRefused(`${option}: ${path} is larger than ${mb(maxBytes)}`);
    return buf.subarray(0, got);
  } catch (err) {
    if (err instanceof FileRefused) throw err;
    throw cannotRead(option, path, err, hint);
  } finally {
    closeSync(fd);
  }
}

/** Longest line accepted in a domains list (a domain is at most 253 characters; comments get the rest). */
export const MAX_LINE = 4096;

export interface ListLine {
  /** 1-based line number. */
  number: number;
  text: string;
}

/**
 * The lines of a domains list (`-` for stdin), decoded as UTF-8 (a UTF-8 BOM
 * is skipped; a UTF-16 BOM is refused), split on LF (CR LF too). A line
 * longer than MAX_LINE ends the reading with a FileRefused.
 */
export async function* listLines(path: string, option = '--domains-file'): AsyncGenerator<ListLine> {
  let input: Readable;
  if (path === '-') input = process.stdin;
  else {
    if (!existsSync(path)) throw new FileRefused(`${option}: ${path} does not exist; give a file with one domain per line (or - for stdin)`);
    assertRegular(option, path, 'Give a file with one domain per line (or - for stdin)');
    input = createReadStream(path);
  }
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let number = 0;
  let first = true;
  const where = path === '-' ? 'stdin' : path;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let bytes = chunk;
      if (first) {
        first = false;
        if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
          throw new FileRefused(`${option}: ${where} is UTF-16; save it as UTF-8 (one domain per line)`);
        }
        if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      }
      pending += decoder.decode(bytes, { stream: true });
      let start = 0;
      let nl: number;
      while ((nl = pending.indexOf('\n', start)) >= 0) {
        number++;
        if (nl - start > MAX_LINE) throw new FileRefused(`${option}: line ${number} is longer than ${MAX_LINE} characters`);
        yield { number, text: pending.slice(start, nl).replace(/\r$/, '') };
        start = nl + 1;
      }
      pending = pending.slice(start);
      if (pending.length > MAX_LINE) throw new FileRefused(`${option}: line ${number + 1} is longer than ${MAX_LINE} characters`);
    }
    pending += decoder.decode();
    if (pending.length > MAX_LINE) throw new FileRefused(`${option}: line ${number + 1} is longer than ${MAX_LINE} characters`);
    if (pending) yield { number: number + 1, text: pending.replace(/\r$/, '') };
  } finally {
    // Stop reading (stdin from /dev/zero never ends by itself).
    input.destroy();
  }
}
