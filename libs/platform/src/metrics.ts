import { Controller, Get, Res } from '@nestjs/common';
import { Public } from './public-route';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { collectDefaultMetrics, Counter, CounterConfiguration, Gauge, GaugeConfiguration, Histogram, HistogramConfiguration, Registry } from 'prom-client';

/**
 * Prometheus metrics of this process (prom-client). One service runs per process, so one
 * registry per process: the platform's metrics (JetStream consumers) and each app's own
 * (callbacks, sends) are defined at module level against it and served together at /metrics.
 * Metric names are documented in docs/metrics.md; the dashboard and alert rules in deploy/
 * are built on them, so renaming one is a breaking change.
 */
export const metricsRegistry = new Registry();

let defaultsStarted = false;

/** Process and Node.js runtime metrics (CPU, memory, event-loop lag, GC), labelled with the service. */
export function startDefaultMetrics(service: string): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  metricsRegistry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: metricsRegistry });
}

/** A counter on the process registry; defining the same name twice returns the first (hot reloads, tests). */
export function counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
  return (metricsRegistry.getSingleMetric(config.name) as Counter<L>) ?? new Counter<L>({ ...config, registers: [metricsRegistry] });
}

export function histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
  return (metricsRegistry.getSingleMetric(config.name) as Histogram<L>) ?? new Histogram<L>({ ...config, registers: [metricsRegistry] });
}

export function gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
  return (metricsRegistry.getSingleMetric(config.name) as Gauge<L>) ?? new Gauge<L>({ ...config, registers: [metricsRegistry] });
}

/**
 * GET /metrics in the Prometheus text format, on the service's HTTP port next to /health.
 * Public like /health: it carries counts and timings, never message content, ids or secrets.
 * A deployment that exposes the gateway's port to the internet publishes only /wecom, /dingtalk
 * and /api through its reverse proxy (docs/install-compose.zh.md).
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  @Get()
  async metrics(@Res() res: Response) {
    res.setHeader('Content-Type', metricsRegistry.contentType);
    res.send(await metricsRegistry.metrics());
  }
}
