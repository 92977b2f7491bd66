/**
 * HTTP throughput against one local node:http server (a child process,
 * pinned to another core when possible), 50 connections each, same
 * duration, alternating rounds:
 *   loadspec        keepConstant(50) of `(ctx) => http.get(ctx, url)`
 *   undici.request  50 async loops over a bare undici Pool: request(), read
 *                   the body, record latency in the same kind of HDR histogram
 *   undici.dispatch the same loops on Pool.dispatch with a minimal handler:
 *                   the cheapest way to drive undici, for reference
 *   autocannon      autocannon 9 as a library, -c 50
 * Besides requests per second, each contender's CPU time per request is
 * printed (and `cpu_ratio`: the other's CPU per request over loadspec's): on
 * a shared machine it moves far less than rps does.
 */
import { performance } from 'node:perf_hooks'
import { Pool } from 'undici'
import autocannon from 'autocannon'
import { alternate, pairedRatio, type Contender } from './support/rounds.js'
import { engine, httpHelper } from './support/loadspec.js'
import { figure, machineInfo, note } from './support/report.js'
import { recordingHistogram } from './support/histogram.js'
import { pinCores, rounds, scaled } from './support/settings.js'
import { pinThisProcess, planCores, startTargetProcess } from './support/target.js'

const CONNECTIONS = 50

// A type alias, not an interface: alternate() needs figures that are a Record<string, number>.
type HttpFigures = {
  readonly rps: number
  readonly cpuUsPerRequest: number
  readonly failed: number
}

export async function httpBench(): Promise<void> {
  // More, shorter rounds than the other benches: HTTP figures move the most on a shared machine.
  const seconds = scaled(3)
  const httpRounds = rounds + 2
  const cores = planCores(pinCores, machineInfo().cores)
  const target = await startTargetProcess(cores.targetCore)
  pinThisProcess(cores.generatorCore)
  note(
    `http: ${CONNECTIONS} connections, ${seconds} s per run, ${httpRounds} rounds; target ${target.url}` +
      (cores.targetCore === undefined ? ' (not pinned)' : ` on core ${cores.targetCore}, generator on core ${cores.generatorCore}`),
  )
  try {
    const runs: [string, (url: string, seconds: number) => Promise<RunCount>][] = [
      ['loadspec', loadspecRun],
      ['undici.request', undiciRequestRun],
      ['undici.dispatch', undiciDispatchRun],
      ['autocannon', autocannonRun],
    ]
    const contenders: Contender<HttpFigures>[] = runs.map(([name, run]) => ({
      name,
      run: () => measured(() => run(target.url, seconds)),
      warmUp: () => run(target.url, 1),
    }))
    const results = await alternate('http', contenders, httpRounds)
    for (const [name, figures] of results.medians) {
      figure(`http.${name}.rps`, figures.rps, 'requests/s')
      figure(`http.${name}.cpu_per_request`, figures.cpuUsPerRequest, 'µs')
      if (figures.failed > 0) figure(`http.${name}.failed`, figures.failed)
    }
    for (const other of ['undici.request', 'undici.dispatch', 'autocannon']) {
      const key = other.replace('.', '_')
      figure(`http.ratio.loadspec_vs_${key}`, pairedRatio(results, 'loadspec', other, 'rps'))
      // Above 1: loadspec spends less CPU per request than the other.
      figure(`http.cpu_ratio.loadspec_vs_${key}`, pairedRatio(results, other, 'loadspec', 'cpuUsPerRequest'))
    }
  } finally {
    pinThisProcess(undefined)
    await target.stop()
  }
}

interface RunCount {
  readonly requests: number
  readonly failed: number
  readonly seconds: number
}

async function measured(run: () => Promise<RunCount>): Promise<HttpFigures> {
  const cpuBefore = process.cpuUsage()
  const { requests, failed, seconds } = await run()
  const cpu = process.cpuUsage(cpuBefore)
  return { rps: requests / seconds, cpuUsPerRequest: (cpu.user + cpu.system) / Math.max(1, requests), failed }
}

async function loadspecRun(url: string, seconds: number): Promise<RunCount> {
  const { Runner, Scenario, Simulation } = engine
  const { http } = httpHelper
  const scenario = Scenario.create('get', (ctx) => http.get(ctx, url)).withLoadSimulations(Simulation.keepConstant(CONNECTIONS, seconds))
  const result = await Runner.registerScenarios(scenario).withConfigSources({ argv: [], env: {} }).withoutReports().run({ quiet: true })
  const stats = result.getScenarioStats('get')
  return { requests: stats.allRequestCount, failed: stats.fail.request.count, seconds: stats.durationMs / 1000 }
}

async function undiciRequestRun(url: string, seconds: number): Promise<RunCount> {
  const origin = new URL(url)
  const pool = new Pool(origin.origin, { connections: CONNECTIONS })
  const histogram = await recordingHistogram()
  let requests = 0
  let failed = 0
  const startMs = performance.now()
  const endMs = startMs + seconds * 1000
  const loop = async (): Promise<void> => {
    while (performance.now() < endMs) {
      const requestStartMs = performance.now()
      try {
        const { statusCode, body } = await pool.request({ path: origin.pathname, method: 'GET' })
        const bytes = (await body.arrayBuffer()).byteLength
        if (statusCode >= 400 || bytes < 0) failed++
      } catch {
        failed++
      }
      histogram.recordValue(Math.round((performance.now() - requestStartMs) * 1000))
      requests++
    }
  }
  await Promise.all(Array.from({ length: CONNECTIONS }, loop))
  const elapsedSeconds = (performance.now() - startMs) / 1000
  histogram.destroy()
  await pool.destroy()
  return { requests, failed, seconds: elapsedSeconds }
}

/** The least a dispatch handler can do: note the status, count the bytes, say when it is done. */
class CountingHandler {
  statusCode = 0
  bytes = 0
  constructor(private readonly done: (failed: boolean) => void) {}
  onConnect(): void {}
  onHeaders(statusCode: number): boolean {
    this.statusCode = statusCode
    return true
  }
  onData(chunk: Buffer): boolean {
    this.bytes += chunk.length
    return true
  }
  onComplete(): void {
    this.done(this.statusCode >= 400)
  }
  onError(): void {
    this.done(true)
  }
}

async function undiciDispatchRun(url: string, seconds: number): Promise<RunCount> {
  const origin = new URL(url)
  const pool = new Pool(origin.origin, { connections: CONNECTIONS })
  const histogram = await recordingHistogram()
  let requests = 0
  let failed = 0
  const startMs = performance.now()
  const endMs = startMs + seconds * 1000
  const options = { path: origin.pathname, method: 'GET' }
  const loop = async (): Promise<void> => {
    while (performance.now() < endMs) {
      const requestStartMs = performance.now()
      const requestFailed = await new Promise<boolean>((resolve) => pool.dispatch(options, new CountingHandler(resolve)))
      if (requestFailed) failed++
      histogram.recordValue(Math.round((performance.now() - requestStartMs) * 1000))
      requests++
    }
  }
  await Promise.all(Array.from({ length: CONNECTIONS }, loop))
  const elapsedSeconds = (performance.now() - startMs) / 1000
  histogram.destroy()
  await pool.destroy()
  return { requests, failed, seconds: elapsedSeconds }
}

async function autocannonRun(url: string, seconds: number): Promise<RunCount> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds })
  return { requests: result.requests.total, failed: result.errors + result.timeouts + result.non2xx, seconds: result.duration }
}
