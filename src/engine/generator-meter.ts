import { performance } from 'node:perf_hooks'
import type { LoadGeneratorUsage } from '../result/result.js'

/**
 * What running the load costs this process, from the start of the load to
 * read(): CPU time (user and system) and how busy the event loop was. It is
 * the whole process: handlers' own work counts, as does anything else the
 * process does meanwhile (in an in-process dev cluster every node shares one
 * process, so each reports the same process).
 */
export class GeneratorMeter {
  private readonly cpuStart = process.cpuUsage()
  private readonly wallStartMs = performance.now()
  private readonly loopStart = performance.eventLoopUtilization()

  read(): LoadGeneratorUsage {
    const cpu = process.cpuUsage(this.cpuStart)
    const loop = performance.eventLoopUtilization(this.loopStart)
    return {
      wallMs: performance.now() - this.wallStartMs,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      eventLoopUtilization: loop.utilization,
    }
  }
}
