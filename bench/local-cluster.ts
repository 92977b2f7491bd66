/**
 * The local cluster bench (issue 13): `vitest run` of a project
 * (bench/local-cluster-project, copied to a temporary folder) whose plugin
 * has `localCluster: { agents: 2 }`, against the same project on one node.
 *
 * - local_cluster.cpu.*: a CPU-bound scenario (~200 µs of SHA-256 per
 *   iteration, keepConstant(2, 4 s)): iterations/s of the one node (the
 *   test worker) vs the two agent processes (each runs the whole shape),
 *   alternating, at least five rounds; the ratio is the median of per-round
 *   ratios (target ≥ 1.7× on two cores); beside it the cores the load got
 *   (generator CPU time / wall time, summed over the nodes that ran it).
 * - local_cluster.startup_ms: the ready line's figure (nats-server + agents
 *   announced), median over the cluster rounds.
 * - local_cluster.rerun_to_load_ms: `vitest watch`, then an edit of the
 *   scenario module; time from the save to the first request of the new
 *   code at a target (agents restarted, the rerun started, load running),
 *   median of three edits, and the restart alone (the rerun's line).
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { copyExample } from '../test/support/example-copy.js'
import { startHttpTarget } from '../test/support/http-target.js'
import { inheritedEnv, repoRoot, repoVitest, runProcess } from '../test/support/vitest-cli.js'
import { calibrateHashRounds } from './cluster.js'
import { figure, median, note } from './support/report.js'
import { alternate, pairedRatio } from './support/rounds.js'
import { rounds } from './support/settings.js'

const AGENTS = 2
const EDITS = 3

interface CpuFigures extends Record<string, number> {
  readonly rps: number
  /** CPU time of the nodes that ran load over their wall time: how many cores the load got. */
  readonly cores: number
  readonly startupMs: number
}

export async function localClusterBench(): Promise<void> {
  const project = copyExample(join(repoRoot, 'bench/local-cluster-project'), ['vitest'])
  try {
    const hashRounds = calibrateHashRounds(200)
    note(`local_cluster: ${hashRounds} SHA-256 rounds per iteration (~200 µs here), project copied to ${project}`)
    const run = (agents: number | undefined) => async (): Promise<CpuFigures> => {
      const out = join(project, `cpu-${Date.now()}.jsonl`)
      const env: Record<string, string> = { BENCH_MODE: 'cpu', BENCH_OUT: out, BENCH_HASH_ROUNDS: String(hashRounds), ...(agents === undefined ? {} : { BENCH_AGENTS: String(agents) }) }
      const result = await runProcess([repoVitest, 'run'], { cwd: project, env, timeoutMs: 120_000 })
      if (result.exitCode !== 0 || !existsSync(out)) throw new Error(`local_cluster: vitest run failed (${result.exitCode}):\n${result.output}`)
      const { rps, cores } = JSON.parse(readFileSync(out, 'utf8').trim()) as { rps: number; cores: number }
      const ready = /ready in (\d+) ms/.exec(result.stdout)
      return { rps, cores, startupMs: ready === null ? 0 : Number(ready[1]) }
    }
    const results = await alternate(
      'local_cluster.cpu',
      [
        { name: 'single', run: run(undefined) },
        { name: 'cluster', run: run(AGENTS) },
      ],
      Math.max(5, rounds),
    )
    figure('local_cluster.cpu.single_rps', results.medians.get('single')?.rps ?? Number.NaN, 'it/s')
    figure('local_cluster.cpu.cluster_rps', results.medians.get('cluster')?.rps ?? Number.NaN, 'it/s')
    figure('local_cluster.cpu.ratio', pairedRatio(results, 'cluster', 'single', 'rps'))
    figure('local_cluster.cpu.single_cores', results.medians.get('single')?.cores ?? Number.NaN)
    figure('local_cluster.cpu.cluster_cores', results.medians.get('cluster')?.cores ?? Number.NaN)
    figure('local_cluster.startup_ms', results.medians.get('cluster')?.startupMs ?? Number.NaN, 'ms')
    await rerunBench(project)
  } finally {
    rmSync(project, { recursive: true, force: true })
  }
}

async function rerunBench(project: string): Promise<void> {
  let newestVersion = 0
  const firstSeenAt = new Map<number, number>()
  const target = await startHttpTarget((_count, req) => {
    const version = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('v'))
    if (!firstSeenAt.has(version)) firstSeenAt.set(version, performance.now())
    newestVersion = Math.max(newestVersion, version)
    return { status: 200, body: 'ok' }
  })
  const out = join(project, 'ping.jsonl')
  const env = { ...inheritedEnv(), NO_COLOR: '1', BENCH_MODE: 'ping', BENCH_OUT: out, BENCH_AGENTS: String(AGENTS), BENCH_TARGET_URL: target.url }
  const vitest = spawn(process.execPath, [repoVitest, 'watch'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  vitest.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  vitest.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  const runsDone = (): number => (existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').length : 0)
  const until = async (what: string, done: () => boolean): Promise<void> => {
    const deadline = Date.now() + 60_000
    while (!done()) {
      if (Date.now() > deadline || vitest.exitCode !== null) throw new Error(`local_cluster: no ${what} within 60 s:\n${output}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
  try {
    await until('first run', () => runsDone() >= 1)
    const scenarios = join(project, 'scenarios.ts')
    const rerunMs: number[] = []
    for (let edit = 1; edit <= EDITS; edit++) {
      const version = edit + 1
      writeFileSync(scenarios, readFileSync(scenarios, 'utf8').replace(/const VERSION = \d+/, `const VERSION = ${version}`))
      const savedAt = performance.now()
      await until(`request of version ${version}`, () => firstSeenAt.has(version))
      rerunMs.push((firstSeenAt.get(version) as number) - savedAt)
      await until(`rerun ${edit}`, () => runsDone() >= edit + 1)
    }
    const restarts = [...output.matchAll(/agents restarted \(scenario code changed\), ready in (\d+) ms/g)].map((match) => Number(match[1]))
    note(`local_cluster.rerun edits: ${rerunMs.map((ms) => ms.toFixed(0)).join(', ')} ms; restarts: ${restarts.join(', ')} ms`)
    figure('local_cluster.rerun_to_load_ms', median(rerunMs), 'ms')
    figure('local_cluster.rerun_restart_ms', median(restarts), 'ms')
  } finally {
    vitest.kill('SIGTERM')
    await new Promise((resolve) => (vitest.exitCode === null ? vitest.once('exit', resolve) : resolve(undefined)))
    await target.close()
  }
}
