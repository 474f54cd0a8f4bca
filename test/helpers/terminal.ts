/**
 * Runs the real CLI binary in a pseudo-terminal of a given width, as a user
 * would see it: in a detached tmux session (`capture-pane -J` joins the lines
 * the terminal had to wrap, so a line too wide for the pane comes back longer
 * than the pane), or, where tmux is missing, under `script` (the raw bytes
 * the program wrote to the terminal). Each run gets its own tmux server
 * socket, so runs never share state.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './cli.js';

export interface TerminalRun {
  /** The screen, line by line (trailing blanks removed). */
  lines: string[];
  code: number;
  via: 'tmux' | 'script';
}

export const haveTmux = (): boolean => spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
export const haveScript = (): boolean => spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
export const haveTerminal = (): boolean => haveTmux() || haveScript();

export const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
let runs = 0;
// Never a synchronous child here: the lab's servers run in the test's own process and must keep answering.
const run = promisify(execFile);

/** Runs a shell command line under `script`, in a pseudo-terminal; returns what it wrote there (escape codes kept). */
export async function underScript(command: string, env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<string> {
  const { stdout } = await run('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, ...env } as NodeJS.ProcessEnv, maxBuffer: 64 << 20 });
  return stdout;
}

export async function runInTerminal(args: string[], cols: number, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<TerminalRun> {
  const dir = mkdtempSync(join(tmpdir(), 'xmpp-check-tty-'));
  const envLine = Object.entries({ CI: '1', NO_COLOR: '', FORCE_COLOR: '', ...env })
    .map(([k, v]) => (v === '' ? `unset ${k}` : `export ${k}=${quote(v)}`))
    .join('; ');
  const cmd = `${envLine}; ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}; echo "__EXIT:$?__"`;
  writeFileSync(join(dir, 'run.sh'), `${cmd}\n`);
  try {
    if (haveTmux()) {
      const sock = `xmpp-check-${process.pid}-${++runs}`;
      writeFileSync(join(dir, 'tmux.conf'), 'set -g history-limit 100000\nset -g remain-on-exit on\nset -g status off\n');
      const tmux = async (...a: string[]): Promise<string> => (await run('tmux', ['-L', sock, '-f', join(dir, 'tmux.conf'), ...a], { encoding: 'utf8', maxBuffer: 64 << 20 })).stdout;
      await tmux('new-session', '-d', '-x', String(cols), '-y', '50', `sh ${quote(join(dir, 'run.sh'))}`);
      try {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const screen = await tmux('capture-pane', '-p', '-J', '-S', '-', '-E', '-');
          const m = /__EXIT:(\d+)__/.exec(screen);
          if (m) {
            const lines = screen.slice(0, m.index).split('\n').map((l) => l.replace(/\s+$/, ''));
            while (lines.length && !lines[lines.length - 1]) lines.pop();
            return { lines, code: Number(m[1]), via: 'tmux' };
          }
          if (Date.now() > deadline) throw new Error(`no exit from ${args.join(' ')} within ${timeoutMs} ms:\n${screen}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        await run('tmux', ['-L', sock, 'kill-server']).catch(() => undefined);
      }
    }
    // script: the terminal's width is set with stty before the command runs.
    const out = await underScript(`stty cols ${cols} rows 50; sh ${quote(join(dir, 'run.sh'))}`, {}, timeoutMs);
    // eslint-disable-next-line no-control-regex
    const text = out.replace(/\r/g, '').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    const m = /__EXIT:(\d+)__/.exec(text);
    if (!m) throw new Error(`no exit from ${args.join(' ')} under script:\n${text}`);
    const lines = text.slice(0, m.index).split('\n');
    while (lines.length && !lines[lines.length - 1]) lines.pop();
    return { lines, code: Number(m[1]), via: 'script' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Columns a line takes (code points: the lab's output has no wide characters). */
export const columns = (line: string): number => [...line].length;

/**
 * Whether `s` is on the screen: on one line, or cut over consecutive lines
 * (a word too wide for any line continues at the start of the next one).
 */
export function onScreen(lines: string[], s: string): boolean {
  if (lines.some((l) => l.includes(s))) return true;
  for (let i = 0; i < lines.length; i++) {
    let joined = lines[i]!.trimEnd();
    for (let j = i + 1; j < Math.min(lines.length, i + 8); j++) {
      joined += lines[j]!.trim();
      if (joined.includes(s)) return true;
    }
  }
  return false;
}
