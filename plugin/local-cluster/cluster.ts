/**
 * The local cluster of one `vitest` (or Jest) session: a nats-server, a
 * coordinator service, N agent processes, a log file, and the Client config
 * the workers reach the service with. The global setup starts it once,
 * checks it before every watch rerun (children that crashed, or all but
 * nats-server when the scenario code changed, are restarted and awaited
 * again), and stops every child by PID at teardown.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { CONFIG_KEY_NAMES, type ConfigKey, type LoadspecConfig } from '../../src/config/index.js'
import { keyInfo } from '../../src/config/keys.js'
import { startAgent, type ChildSpawn } from './agents.js'
import { findNatsServer, startBroker, userBroker, type Broker } from './broker.js'
import { describeExit, type ClusterChild } from './children.js'
import { fingerprintScenarioCode } from './code-fingerprint.js'
import type { ResolvedLocalCluster } from './options.js'
import { localClusterRunConfig, type LocalClusterHandle } from './run-config.js'
import { startService, waitUntilServing } from './service.js'

export const LOCAL_CLUSTER_LOG_FILE = 'local-cluster.log'

export interface LocalClusterStart {
  readonly options: ResolvedLocalCluster
  /** The resolved config (its ReportFolder holds the log; its NatsServerUrl, when set, is used instead of a nats-server). */
  readonly config: LoadspecConfig
  /** The project root: scenario patterns and the report folder are relative to it. */
  readonly root: string
  /** Where the cluster's own lines go (the ready line, restarts, the fallback notice). */
  readonly say?: (line: string) => void
}

export class LocalCluster {
  /** The config every loadScenario of the session runs with. */
  readonly runConfig: LoadspecConfig
  readonly handle: LocalClusterHandle
  private agents: ClusterChild[]
  private service: ClusterChild | undefined
  /** Children whose exit is reported as a crash (once each): those that had joined. */
  private readonly watched = new Set<ClusterChild>()
  /** The hash of the code the running agents loaded. */
  private codeHash: string

  private constructor(
    private readonly start: LocalClusterStart,
    handle: LocalClusterHandle,
    private readonly broker: Broker | undefined,
    private readonly spawn: ChildSpawn | undefined,
    service: ClusterChild | undefined,
    agents: ClusterChild[],
    private readonly log: WriteStream | undefined,
    codeHash: string,
  ) {
    this.codeHash = codeHash
    this.handle = handle
    this.runConfig = localClusterRunConfig(start.config, handle)
    this.agents = agents
    this.service = service
    for (const child of this.children()) this.watchForCrash(child)
  }

  /** Starts the cluster and prints its ready line; without nats-server (and no NatsServerUrl) a notice and the in-process dev cluster. */
  static async start(start: LocalClusterStart): Promise<LocalCluster> {
    const say = start.say ?? ((line: string) => console.info(line))
    const { options, config, root } = start
    const natsServer = config.natsServerUrl === undefined ? findNatsServer() : undefined
    if (config.natsServerUrl === undefined && natsServer === undefined) {
      say(`local cluster: no nats-server on PATH and no NatsServerUrl, so the ${options.agents} agents run in-process (EnableLocalDevCluster, one core); install nats-server for agent processes`)
      return new LocalCluster(start, { kind: 'in-process', natsServerUrls: [], clusterId: config.clusterId, agents: options.agents }, undefined, undefined, undefined, [], undefined, '')
    }
    const startedAt = performance.now()
    const runId = `${process.pid}-${randomBytes(4).toString('hex')}`
    const logFile = join(resolve(root, config.reportFolder), LOCAL_CLUSTER_LOG_FILE)
    mkdirSync(dirname(logFile), { recursive: true })
    const log = createWriteStream(logFile, { flags: 'w' })
    const childSpec = { cwd: root, runId, log }
    let broker: Broker | undefined
    let service: ClusterChild | undefined
    const agents: ClusterChild[] = []
    try {
      broker = natsServer === undefined ? userBroker(config.natsServerUrl ?? []) : await startBroker(natsServer, childSpec)
      const handle: LocalClusterHandle = { kind: 'processes', natsServerUrls: broker.urls, clusterId: `local-${runId}`, agents: options.agents }
      const runConfig = localClusterRunConfig(config, handle)
      const spawn: ChildSpawn = { runConfig, scenarios: options.scenarios, spec: { ...childSpec, env: natsSettingsEnv(config) } }
      // Taken before the agents load the files: an edit while they start shows as a change at the next rerun.
      const code = fingerprintScenarioCode(options.scenarios, root)
      service = startService(spawn)
      for (let index = 1; index <= options.agents; index++) agents.push(startAgent(index, spawn))
      await waitUntilServing(service, agents, runConfig, config.clusterCommandTimeoutMs)
      const elapsedMs = Math.round(performance.now() - startedAt)
      const cluster = new LocalCluster(start, handle, broker, spawn, service, agents, log, code.hash)
      cluster.say(`local cluster: ${broker.description}, coordinator, ${options.agents} agent${options.agents === 1 ? '' : 's'}, ready in ${elapsedMs} ms (log: ${shown(root, logFile)})`)
      return cluster
    } catch (error) {
      await Promise.all([...agents, ...(service === undefined ? [] : [service]), ...(broker?.process === undefined ? [] : [broker.process])].map((child) => child.stop()))
      log.end()
      throw error
    }
  }

  /**
   * Before a watch rerun: reload the agents when their code changed, restart
   * those that crashed. Never throws: an agent that cannot load the changed
   * code comes back as the problem (its error) for the rerun's load tests to
   * fail with at once; the watch session goes on, and the next save tries again.
   */
  async beforeRerun(): Promise<string | undefined> {
    if (this.spawn === undefined) return undefined
    const code = fingerprintScenarioCode(this.start.options.scenarios, this.start.root)
    const changed = code.hash !== this.codeHash
    this.codeHash = code.hash
    try {
      await this.refresh(changed)
      return undefined
    } catch (error) {
      const problem = `${error instanceof Error ? error.message : String(error)}\n(the local cluster tries again at the next rerun)`
      this.say(problem)
      return problem
    }
  }

  /**
   * Children that crashed are restarted (and said once), and with `reload`
   * the service and every agent are restarted so they load the changed code.
   * Resolves when the service lists every agent again.
   */
  async refresh(reload: boolean, reason = 'scenario code changed'): Promise<void> {
    const spawn = this.spawn
    const service = this.service
    if (spawn === undefined || service === undefined) return
    const crashed = this.children().filter((child) => !child.isRunning)
    if (!reload && crashed.length === 0) return
    const startedAt = performance.now()
    const replaced = reload ? this.children() : crashed
    await Promise.all(replaced.map((child) => child.stop()))
    // A watch session lasts all day: forget the processes that are gone.
    for (const child of replaced) this.watched.delete(child)
    const restarted = replaced.includes(service) ? startService(spawn) : service
    this.service = restarted
    this.agents = this.agents.map((agent, index) => (replaced.includes(agent) ? startAgent(index + 1, spawn) : agent))
    // A child that dies before it joins is this wait's error, not a crash to report.
    await waitUntilServing(restarted, this.agents, spawn.runConfig, this.start.config.clusterCommandTimeoutMs)
    for (const child of this.children()) this.watchForCrash(child)
    const why = reload ? reason : `${crashed.map((child) => child.name).join(', ')} had exited`
    const agentsReplaced = replaced.filter((child) => child !== service).length
    const agentsPart = agentsReplaced === 0 ? [] : [`${agentsReplaced} agent${agentsReplaced === 1 ? '' : 's'}`]
    const what = [...(replaced.includes(service) ? ['coordinator'] : []), ...agentsPart].join(' and ')
    this.say(`local cluster: ${what} restarted (${why}), ready in ${Math.round(performance.now() - startedAt)} ms`)
  }

  /** Stops every child by PID (agents and the service first, then nats-server) and closes the log. */
  async stop(): Promise<void> {
    await Promise.all(this.children().map((child) => child.stop()))
    await this.broker?.process?.stop()
    this.log?.end()
  }

  /** A line for the terminal, kept in the log too (the terminal is cleared at each watch rerun). */
  private say(line: string): void {
    ;(this.start.say ?? ((text: string) => console.info(text)))(line)
    if (this.log?.writable === true) this.log.write(`[local cluster] ${line}\n`)
  }

  /** The service and the agents (nats-server is not restarted: the workers' config names its port). */
  private children(): ClusterChild[] {
    return [...(this.service === undefined ? [] : [this.service]), ...this.agents]
  }

  private watchForCrash(child: ClusterChild): void {
    if (this.watched.has(child)) return
    this.watched.add(child)
    void child.exited.then((info) => {
      if (child.wasStopped) return
      this.say(`local cluster: ${describeExit(child, info)}; it is restarted before the next run. Its last output:\n${child.lastOutput(10)}`)
    })
  }
}

/** The NATS credentials of the resolved config, as the agents read them: LOADSPEC_<KEY> variables (never argv, which `ps` shows). */
function natsSettingsEnv(config: LoadspecConfig): Record<string, string> {
  const env: Record<string, string> = {}
  for (const key of CONFIG_KEY_NAMES as readonly ConfigKey[]) {
    if (!key.startsWith('nats') || key === 'natsServerUrl') continue
    const value = config[key as keyof LoadspecConfig]
    if (typeof value === 'string') env[keyInfo(key).env] = value
  }
  return env
}

function shown(root: string, path: string): string {
  const fromRoot = relative(root, path)
  return fromRoot === '' || fromRoot.startsWith('..') ? path : fromRoot
}
