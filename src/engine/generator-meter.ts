import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks'
import type { DelaySummary, LoadGeneratorUsage } from '../result/generator.js'

/** How often the event loop's delay is sampled: a timer this often, whose lateness is the delay. */
const LOOP_SAMPLE_MS = 10
const NS_PER_MS = 1e6

/**
 * What running the load costs this process, from the start of the load to
 * read(): CPU time (user and system), how busy the event loop was and how
 * late it ran. It is the whole process: handlers' own work counts, as does
 * anything else the process does meanwhile (in an in-process dev cluster
 * every node shares one process, so each reports the same process).
 */
export class GeneratorMeter {
  private readonly cpuStart = process.cpuUsage()
  private readonly wallStartMs = performance.now()
  private readonly loopStart = performance.eventLoopUtilization()
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS })

  constructor() {
    this.loopDelay.enable()
  }

  /** The figures from the start of the load until now; `startLagMs` is the node's open-model start lag, from its stats. */
  read(startLagMs?: DelaySummary): LoadGeneratorUsage {
    this.stop()
    const cpu = process.cpuUsage(this.cpuStart)
    const loop = performance.eventLoopUtilization(this.loopStart)
    return {
      wallMs: performance.now() - this.wallStartMs,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      eventLoopUtilization: loop.utilization,
      ...(this.loopDelay.count === 0 ? {} : { eventLoopDelayMs: this.loopDelaySummary() }),
      ...(startLagMs === undefined ? {} : { startLagMs }),
    }
  }

  /** Stops sampling the event loop (read() does it too). */
  stop(): void {
    this.loopDelay.disable()
  }

  private loopDelaySummary(): DelaySummary {
    // Each sample is the time between two wake-ups of a LOOP_SAMPLE_MS timer: the delay is what exceeds it.
    const delayMs = (ns: number): number => Math.max(0, ns / NS_PER_MS - LOOP_SAMPLE_MS)
    return { p50: delayMs(this.loopDelay.percentile(50)), p99: delayMs(this.loopDelay.percentile(99)), max: delayMs(this.loopDelay.max) }
  }
}
