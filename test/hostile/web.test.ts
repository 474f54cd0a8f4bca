/** Hostile HTTPS (POSH, host-meta), through the real binary: huge and deep JSON, redirect loops, drip, compressed bombs, an XML bomb. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HOSTILE, startHostileLab, type HostileLab } from '../../fixtures/hostile/lab.js';
import { runMeasured } from '../helpers/measured.js';
import { assertHostile } from './expect.js';

const W = HOSTILE.web;
let lab: HostileLab;
// A long --timeout: these cases are about what the server sends, so a loaded machine must not turn them into timeouts.
const base = (): string[] => [...lab.args, '--dnssec', 'off', '--c2s', '--timeout', '8000', '--quic', 'off'];

describe('hostile HTTPS servers', { concurrency: 4 }, () => {
  before(async () => {
    lab = await startHostileLab();
  });
  after(() => lab.close());

  const cases: { name: string; domain: string; code?: string; web?: boolean }[] = [
    { name: 'a 50 MB POSH file', domain: W.poshHuge, code: 'POSH_TOO_LARGE' },
    { name: 'a POSH file of 30,000 nested arrays', domain: W.poshDeepArray, code: 'POSH_INVALID' },
    { name: 'a POSH file of 10,000 nested objects', domain: W.poshDeepObject, code: 'POSH_INVALID' },
    { name: 'a POSH URL that redirects to itself', domain: W.poshRedirectLoop, code: 'POSH_TOO_MANY_REDIRECTS' },
    { name: 'a POSH file that drips', domain: W.poshDrip },
    { name: 'a gzip bomb as POSH file', domain: W.poshGzip, code: 'POSH_MALFORMED' },
    { name: 'a POSH "url" with a newline', domain: W.poshUrlNewline, code: 'POSH_HTTP_ERROR' },
    { name: 'a host-meta.json of 6,000 nested objects', domain: W.hostMetaDeep, web: true },
    { name: 'a host-meta with an entity bomb', domain: W.hostMetaBomb, web: true },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runMeasured([...base(), ...(c.web ? [] : ['--no-web']), c.domain]);
      assertHostile(r, { exit: 2, maxMs: 40_000 }, c.name);
      if (c.code) assert.match(r.stdout, new RegExp(c.code), `${c.name}: ${c.code}`);
    });
  }
});
