/**
 * `xmpp-check serve --listen HOST:PORT`: a Prometheus exporter in the manner
 * of blackbox_exporter. GET /probe?target=DOMAIN&module=c2s|s2s runs one
 * check and answers its metrics (render-prometheus.ts); GET /metrics answers
 * the exporter's own counters. At most --concurrency checks run at once and
 * as many wait; beyond that a probe gets 503. Each probe has a deadline
 * (--deadline, or the scraper's X-Prometheus-Scrape-Timeout-Seconds when
 * shorter): past it the answer says probe_success 0 and xmpp_probe_timed_out
 * 1, while the check still holds its slot until it ends. A bad target or
 * module is a 400 with a one-line reason; nothing a client sends can crash
 * the server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCheck, type CheckOptions } from '../pipeline.js';
import { Exposition, reportMetrics } from '../report/render-prometheus.js';
import type { ServiceKind } from '../core/types.js';
import { InputError, parseInput } from './input.js';
import { UsageError, type HostPort } from './options.js';

export interface ServeOptions extends Omit<CheckOptions, 'input' | 'dns' | 'services'> {
  listen: HostPort;
  concurrency: number;
  deadlineMs: number;
  /** Called once listening, with the address (tests listen on port 0). */
  onListening?: (address: AddressInfo) => void;
}

const MODULES: Record<string, ServiceKind[]> = { c2s: ['c2s'], s2s: ['s2s'], both: ['c2s', 's2s'] };

/** The exporter's own counters, for /metrics. */
class Counters {
  readonly started = Date.now();
  probes = new Map<string, number>();
  running = 0;
  waiting = 0;
  maxRunning = 0;
  durationSum = 0;
  durationCount = 0;

  count(module: string, result: string): void {
    const k = `${module}|${result}`;
    this.probes.set(k, (this.probes.get(k) ?? 0) + 1);
  }

  render(): string {
    const e = new Exposition();
    for (const [k, n] of this.probes) {
      const [module, result] = k.split('|');
      e.add('xmpp_exporter_probes_total', 'counter', 'Probes answered, by module and result (success, failure, timeout, bad_request, rejected).', { module, result }, n);
    }
    e.add('xmpp_exporter_probes_running', 'gauge', 'Checks running now.', {}, this.running);
    e.add('xmpp_exporter_probes_waiting', 'gauge', 'Probes waiting for a free slot.', {}, this.waiting);
    e.add('xmpp_exporter_probes_running_max', 'gauge', 'The most checks that ever ran at once (never more than --concurrency).', {}, this.maxRunning);
    e.add('xmpp_exporter_probe_duration_seconds_sum', 'counter', 'Total time of the checks that finished.', {}, this.durationSum);
    e.add('xmpp_exporter_probe_duration_seconds_count', 'counter', 'Checks that finished.', {}, this.durationCount);
    e.add('xmpp_exporter_start_time_seconds', 'gauge', 'When the exporter started.', {}, Math.floor(this.started / 1000));
    return e.render();
  }
}

/** A counting semaphore with a bounded queue: `acquire` is null when the queue is full. */
class Slots {
  private readonly queue: (() => void)[] = [];
  constructor(
    private readonly limit: number,
    private readonly maxQueue: number,
    private readonly c: Counters,
  ) {}

  acquire(): Promise<void> | null {
    if (this.c.running < this.limit) {
      this.take();
      return Promise.resolve();
    }
    if (this.queue.length >= this.maxQueue) return null;
    this.c.waiting++;
    return new Promise((resolve) => {
      this.queue.push(() => {
        this.c.waiting--;
        this.take();
        resolve();
      });
    });
  }

  private take(): void {
    this.c.running++;
    this.c.maxRunning = Math.max(this.c.maxRunning, this.c.running);
  }

  release(): void {
    this.c.running--;
    this.queue.shift()?.();
  }
}

function send(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

const PROM = 'text/plain; version=0.0.4; charset=utf-8';

export async function serve(opts: ServeOptions): Promise<void> {
  const counters = new Counters();
  const slots = new Slots(opts.concurrency, opts.concurrency, counters);

  const probe = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    const moduleName = url.searchParams.get('module') ?? 'both';
    const services = MODULES[moduleName];
    const target = url.searchParams.get('target');
    if (!services) {
      counters.count(moduleName.slice(0, 20), 'bad_request');
      return send(res, 400, `unknown module "${moduleName.slice(0, 40)}": use module=c2s, s2s or both\n`);
    }
    if (!target) {
      counters.count(moduleName, 'bad_request');
      return send(res, 400, 'no target: use /probe?target=DOMAIN&module=c2s\n');
    }
    let input;
    try {
      input = parseInput(target);
    } catch (err) {
      counters.count(moduleName, 'bad_request');
      return send(res, 400, `invalid target: ${err instanceof InputError ? err.message : 'cannot be read'}\n`.replace(/[^\x20-\x7e\n]/g, '?'));
    }
    const header = Number(req.headers['x-prometheus-scrape-timeout-seconds']);
    const deadline = Number.isFinite(header) && header > 0 ? Math.max(500, Math.min(opts.deadlineMs, header * 1000 - 500)) : opts.deadlineMs;
    const slot = slots.acquire();
    if (!slot) {
      counters.count(moduleName, 'rejected');
      return send(res, 503, `busy: ${opts.concurrency} checks running and ${opts.concurrency} waiting; try again later\n`);
    }
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), deadline)));
    let abandoned = false;
    // A probe whose deadline passed while it waited for a slot is not run at all.
    const check = slot.then(() => (abandoned ? null : runCheck({ ...opts, input, services, timeoutMs: Math.min(opts.timeoutMs, deadline) })));
    // The slot stays taken until the check really ends, however the answer went.
    void check.then(
      () => undefined,
      () => undefined,
    ).finally(() => {
      slots.release();
      counters.durationSum += (Date.now() - started) / 1000;
      counters.durationCount++;
    });
    try {
      const outcome = await Promise.race([check, timedOut]);
      const e = new Exposition();
      if (outcome === 'timeout' || outcome === null) {
        abandoned = true;
        e.add('xmpp_probe_success', 'gauge', '1 when the check ran and found no error (warnings allowed), else 0.', { domain: input.domain }, 0);
        e.add('xmpp_probe_timed_out', 'gauge', '1 when the check did not finish within the deadline.', { domain: input.domain }, 1);
        e.add('xmpp_probe_duration_seconds', 'gauge', 'How long the whole check took.', { domain: input.domain }, deadline / 1000);
        counters.count(moduleName, 'timeout');
      } else {
        reportMetrics(e, outcome);
        e.add('xmpp_probe_timed_out', 'gauge', '1 when the check did not finish within the deadline.', { domain: input.domain }, 0);
        counters.count(moduleName, outcome.summary.status === 'ok' || outcome.summary.status === 'warning' ? 'success' : 'failure');
      }
      send(res, 200, e.render(), PROM);
    } finally {
      clearTimeout(timer);
    }
  };

  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://exporter.invalid');
    } catch {
      return send(res, 400, 'bad request URL\n');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'only GET\n');
    if (url.pathname === '/probe') {
      probe(req, res, url).catch((err: unknown) => {
        counters.count('internal', 'failure');
        send(res, 500, `internal error: ${String((err as Error)?.message ?? err).slice(0, 200)}\n`);
      });
      return;
    }
    if (url.pathname === '/metrics') return send(res, 200, counters.render(), PROM);
    if (url.pathname === '/') return send(res, 200, 'xmpp-check exporter: GET /probe?target=DOMAIN&module=c2s|s2s|both, GET /metrics\n');
    send(res, 404, 'not found: use /probe?target=DOMAIN&module=c2s or /metrics\n');
  });
  // A client that sends garbage gets its connection closed; the server goes on.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = opts.deadlineMs + 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new UsageError(`--listen: cannot listen on ${opts.listen.host}:${opts.listen.port} (${err.code ?? err.message})`)));
    server.listen(opts.listen.port, opts.listen.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]:${addr.port}` : `${addr.address}:${addr.port}`;
  process.stderr.write(`xmpp-check serve: listening on http://${shown}/ (GET /probe?target=DOMAIN&module=c2s|s2s, GET /metrics)\n`);
  opts.onListening?.(addr);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

