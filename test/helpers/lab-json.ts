/** One lab check through the real binary with --json: the parsed report, checked against the schema, with the exit code. */
import assert from 'node:assert/strict';
import type { Report } from '../../src/report/model.js';
import { runCli } from './cli.js';
import { schemaErrors } from './schema.js';

export async function labJson(labArgs: readonly string[], domain: string, ...args: string[]): Promise<{ code: number | null; report: Report; stderr: string }> {
  const r = await runCli(['--json', ...labArgs, ...args, domain]);
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`no JSON for ${domain} (exit ${r.code}): ${r.stderr}`);
  }
  const errors = schemaErrors(report);
  assert.equal(errors, null, `schema errors for ${domain}: ${errors}`);
  return { code: r.code, report, stderr: r.stderr };
}
