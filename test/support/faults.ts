/**
 * Helpers of the fault tests: an HTTP target that counts requests per node
 * and remembers when the last one came (to see when load really stopped), a
 * NATS monitor that records every message of a cluster namespace with its
 * arrival time (to know when a coordinator was last heard), bounded waits,
 * and the parsing of what an agent process logs about its sessions.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { afterAll, beforeAll } from 'vitest'
import { Runner, type LoadSimulation, type RunnerBuilder } from '../../src/index.js'
import { steady } from '../fixtures/faults-nodes/scenarios.js'
import { startAgentProcess, startNodeProcess, type NodeProcess } from './cluster-processes.js'
import { startHttpTarget, type HttpTarget } from './http-target.js'
import { startNatsServer, type NatsServerHandle } from './nats-server.js'

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Polls every 20 ms; throws with `what` after timeoutMs. */
export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`)
    await sleep(20)
  }
}

export interface CountingTarget {
  readonly url: string
  readonly requestCount: number
  /** Requests whose `?node=` was this label (the fixture's handler sends its node label). */
  countFor(node: string): number
  /** performance.now() of the latest request, 0 before the first. */
  readonly lastRequestAtMs: number
  /** Requests received after `sinceMs` (performance.now()). */
  countSince(sinceMs: number): number
  /** performance.now() of the first request from `node` after `sinceMs`, undefined if none came. */
  firstFrom(node: string, sinceMs: number): number | undefined
  close(): Promise<void>
}

/** A real HTTP server on 127.0.0.1 answering every request after `delayMs`. */
export async function startCountingTarget(delayMs: number): Promise<CountingTarget> {
  const byNode = new Map<string, number>()
  // Arrival times, bounded: the fault tests send a few thousand requests, never millions.
  const arrivals: number[] = []
  const arrivalsByNode = new Map<string, number[]>()
  let lastRequestAtMs = 0
  const target: HttpTarget = await startHttpTarget((_number, req) => {
    lastRequestAtMs = performance.now()
    if (arrivals.length < 2_000_000) arrivals.push(lastRequestAtMs)
    const node = new URL(req.url ?? '/', 'http://x').searchParams.get('node') ?? 'unknown'
    byNode.set(node, (byNode.get(node) ?? 0) + 1)
    const own = arrivalsByNode.get(node) ?? []
    if (arrivals.length < 2_000_000) own.push(lastRequestAtMs)
    arrivalsByNode.set(node, own)
    return { status: 200, body: 'ok', delayMs }
  })
  return {
    url: target.url,
    get requestCount() {
      return target.requestCount
    },
    countFor: (node) => byNode.get(node) ?? 0,
    get lastRequestAtMs() {
      return lastRequestAtMs
    },
    countSince: (sinceMs) => arrivals.filter((at) => at > sinceMs).length,
    firstFrom: (node, sinceMs) => arrivalsByNode.get(node)?.find((at) => at > sinceMs),
    close: () => target.close(),
  }
}

export interface SeenMessage {
  readonly atMs: number
  readonly subject: string
  readonly kind: string | undefined
  readonly senderId: string | undefined
  readonly bytes: number
}

export interface NamespaceMonitor {
  readonly messages: readonly SeenMessage[]
  /** The latest message matching `predicate`. */
  last(predicate: (message: SeenMessage) => boolean): SeenMessage | undefined
  close(): Promise<void>
}

/** Subscribes to `loadspec.<clusterId>.<agentGroup>.>` and records what passes (kind and sender of loadspec messages). */
export async function monitorNamespace(url: string, clusterId: string, agentGroup: string): Promise<NamespaceMonitor> {
  const connection: NatsConnection = await connect({ servers: url, name: 'fault-test monitor' })
  const messages: SeenMessage[] = []
  connection.subscribe(`loadspec.${clusterId}.${agentGroup}.>`, {
    callback: (error, message) => {
      if (error !== null || messages.length > 200_000) return
      let kind: string | undefined
      let senderId: string | undefined
      try {
        const value: unknown = JSON.parse(new TextDecoder().decode(message.data))
        if (typeof value === 'object' && value !== null) {
          const record = value as Record<string, unknown>
          kind = typeof record.kind === 'string' ? record.kind : undefined
          senderId = typeof record.senderId === 'string' ? record.senderId : undefined
        }
      } catch {
        // Not JSON: recorded without kind and sender.
      }
      messages.push({ atMs: performance.now(), subject: message.subject, kind, senderId, bytes: message.data.byteLength })
    },
  })
  await connection.flush()
  return {
    messages,
    last: (predicate) => messages.findLast(predicate),
    close: () => connection.close(),
  }
}

export interface SessionLine {
  readonly requests: number
  /** Rounds of final stats sent before the acknowledgement. */
  readonly finalSends: number
  readonly ok: number
  readonly failed: number
}

/** The "session … done: N requests, final stats acknowledged [after K sends] (steady: X ok, Y failed)" lines of an agent's output. */
export function completedSessions(output: string, scenario: string): SessionLine[] {
  const pattern = new RegExp(`done: (\\d+) requests, final stats acknowledged(?: after (\\d+) sends)? \\(${scenario}: (\\d+) ok, (\\d+) failed\\)`, 'g')
  return [...output.matchAll(pattern)].map((match) => ({
    requests: Number(match[1]),
    finalSends: Number(match[2] ?? 1),
    ok: Number(match[3]),
    failed: Number(match[4]),
  }))
}

/** The "[fixture <label>] clean of "steady" ran: handler called N times" lines: the handler's own count per session. */
export function cleanCounts(output: string): number[] {
  return [...output.matchAll(/clean of "steady" ran: handler called (\d+) times/g)].map((match) => Number(match[1]))
}

export interface TimedLine {
  readonly atMs: number
  readonly text: string
}

/** Where the fault tests' cluster lives: one nats-server, one ClusterId and AgentGroup, one counting target. */
export interface FaultCluster {
  readonly natsUrl: string
  readonly clusterId: string
  readonly agentGroup: string
  readonly targetUrl: string
}

/**
 * An agent process serving test/fixtures/faults-nodes/scenarios.ts; `label` tells the target whose requests are whose.
 * Its ReportFolder (where it saves figures nobody collected) is faultAgentFolder(label), outside the repository.
 */
export function startFaultAgent(cluster: FaultCluster, label: string, extraArgs: readonly string[] = [], env: Record<string, string> = {}): NodeProcess {
  return startAgentProcess(
    FAULT_SCENARIOS,
    [`--NatsServerUrl=${cluster.natsUrl}`, `--ClusterId=${cluster.clusterId}`, `--AgentGroup=${cluster.agentGroup}`, `--ReportFolder=${faultAgentFolder(label)}`, ...extraArgs],
    { ...env, LOADSPEC_FIXTURE_NODE: label, FAULTS_TARGET_URL: cluster.targetUrl },
  )
}

let agentFolders: string | undefined

/** The ReportFolder of the fault agent `label`: in a temporary folder of this test process, removed when it exits. */
export function faultAgentFolder(label: string): string {
  if (agentFolders === undefined) {
    const root = mkdtempSync(join(tmpdir(), 'loadspec-fault-agents-'))
    agentFolders = root
    process.once('exit', () => rmSync(root, { recursive: true, force: true }))
  }
  return join(agentFolders, label)
}

/** A coordinator (in this process) putting `simulation` of the fixture's "steady" scenario on every agent. */
export function steadyCoordinator(cluster: Omit<FaultCluster, 'targetUrl'>, simulation: LoadSimulation, clusterCommandTimeoutMs: number): RunnerBuilder {
  return Runner.registerScenarios(steady.withLoadSimulations(simulation))
    .withConfigSources({ argv: [], env: {} })
    .withoutReports()
    .withNodeType('Coordinator')
    .withNatsServerUrl(cluster.natsUrl)
    .withClusterId(cluster.clusterId)
    .withAgentGroup(cluster.agentGroup)
    .withAgentsCount(2)
    .withAgentTargetScenarios('steady')
    .withClusterCommandTimeout(clusterCommandTimeoutMs)
}

/**
 * A coordinator process (test/fixtures/faults-nodes/coordinator.ts) for the cluster, coordinating two agents that run
 * "steady"; `env` adds or overrides LOADSPEC_* keys and the fixture's FAULTS_INJECT_* load shape.
 */
export function startFaultCoordinator(cluster: Omit<FaultCluster, 'targetUrl'>, env: Record<string, string> = {}): NodeProcess {
  return startNodeProcess(['bin/loadspec.js', 'run', 'test/fixtures/faults-nodes/coordinator.ts'], {
    LOADSPEC_NATS_SERVER_URL: cluster.natsUrl,
    LOADSPEC_CLUSTER_ID: cluster.clusterId,
    LOADSPEC_AGENT_GROUP: cluster.agentGroup,
    LOADSPEC_AGENTS_COUNT: '2',
    LOADSPEC_AGENT_TARGET_SCENARIOS: 'steady',
    LOADSPEC_CLUSTER_COMMAND_TIMEOUT_MS: '10000',
    ...env,
  })
}

export interface FaultFile {
  /** Set once the file's beforeAll has run. */
  cluster(): FaultCluster
  readonly target: () => CountingTarget
  /** Stopped (SIGKILL, by PID) after the file. */
  track<T extends NodeProcess>(process: T): T
}

/** A nats-server of its own and a counting target for one test file, and every process it tracks, all stopped after the file. */
export function useFaultCluster(clusterId: string, agentGroup: string): FaultFile {
  let nats: NatsServerHandle | undefined
  let target: CountingTarget | undefined
  const processes: NodeProcess[] = []
  beforeAll(async () => {
    ;[nats, target] = await Promise.all([startNatsServer(), startCountingTarget(3)])
  })
  afterAll(async () => {
    await Promise.all(processes.map((process) => process.stop('SIGKILL')))
    await Promise.all([nats?.stop(), target?.close()])
  })
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the fault cluster is not up yet (used outside a test?)')
    return value
  }
  return {
    cluster: () => ({ natsUrl: ready(nats).url, clusterId, agentGroup, targetUrl: ready(target).url }),
    target: () => ready(target),
    track: (process) => {
      processes.push(process)
      return process
    },
  }
}

const FAULT_SCENARIOS = 'test/fixtures/faults-nodes/scenarios.ts'
