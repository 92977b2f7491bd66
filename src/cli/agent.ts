/**
 * `loadspec agent`: loads scenario modules (TypeScript included, no build
 * step) and serves coordinator sessions over NATS until SIGINT/SIGTERM.
 *
 *   loadspec agent --scenarios 'load/*.scenarios.ts' --NatsServerUrl=nats://127.0.0.1:4222 --ClusterId=shop --AgentGroup=eu
 *
 * Every exported Scenario (or array of Scenarios) of every module counts.
 * The other `--Key=value` options, LOADSPEC_* variables and --config=file.json
 * configure the agent as they configure any run; NodeType is Agent whatever
 * they say. `--agent-id` fixes the agent's id (default `<host>-<pid>-<random>`),
 * so NATS permissions can name the one subject each agent listens on.
 * `--exit-with-parent` makes the agent leave when the process that started
 * it is gone (the local cluster of a test runner: see parent-watch.ts).
 */
import { z } from 'zod'
import { ClusterError } from '../cluster/errors.js'
import { runAgentMode } from '../modes/agent-mode.js'
import { Runner } from '../runner/runner.js'
import { watchParent } from './parent-watch.js'
import { loadScenarioModules } from './scenario-modules.js'

export const AGENT_USAGE = `usage: loadspec agent --scenarios <file or glob> [--scenarios ...] [--agent-id <id>] [--Key=value ...]

Loads the scenarios exported by the given modules (TypeScript needs no build step)
and serves coordinator sessions over NATS until Ctrl-C / SIGTERM. Scenarios run only
by name: an agent runs the scenarios it loaded itself; the coordinator sends the load shape.
Give at least --NatsServerUrl, and the coordinator's --ClusterId and --AgentGroup.
--agent-id names the agent (letters, digits, "-", "_"; unique in the cluster); it listens
on loadspec.<ClusterId>.<AgentGroup>.agent.<id>, so NATS permissions can be per agent.
Of two live processes with one id, the younger one leaves (exit code 1), naming the other.
--exit-with-parent stops the agent when the process that started it is gone (its stdin
pipe closes, or it is re-parented), within 2 s: for agents a test runner starts.`

// The id becomes a NATS subject token that permissions name literally: only characters that need no escaping.
const agentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, { error: 'must be 1 to 128 letters, digits, "-" or "_" (it becomes a NATS subject token)' })

export async function runAgentCommand(args: readonly string[], cwd = process.cwd()): Promise<number> {
  const { patterns, configArgs, agentId, exitWithParent, problems } = parseAgentArgs(args)
  if (problems.length > 0 || patterns.length === 0) {
    console.error([...problems, ...(patterns.length === 0 ? ['loadspec agent: give the scenario modules with --scenarios <file or glob>'] : []), '', AGENT_USAGE].join('\n'))
    return 2
  }
  const scenarios = await loadScenarioModules('loadspec agent', patterns, cwd)
  if (scenarios === undefined) return 2
  // The whole configuration is checked (a missing NatsServerUrl, a bad value) before connecting.
  const config = Runner.registerScenarios(...scenarios).withConfigSources({ argv: configArgs, env: process.env }).withNodeType('Agent').withoutReports().resolveConfig()
  const parentGone = new AbortController()
  const stopWatching = exitWithParent ? watchParent((reason) => parentGone.abort(reason)) : () => {}
  try {
    await runAgentMode({ scenarios, config, stopSignal: parentGone.signal }, agentId === undefined ? {} : { agentId })
  } catch (error) {
    // The agent has said why it leaves (naming the process that keeps its id); only the exit code is left to set.
    if (error instanceof ClusterError && error.code === 'duplicate-agent-id') return 1
    throw error
  } finally {
    stopWatching()
  }
  return 0
}

interface AgentArgs {
  readonly patterns: string[]
  /** Everything else: config options, read as --Key=value. */
  readonly configArgs: string[]
  readonly agentId: string | undefined
  readonly exitWithParent: boolean
  readonly problems: string[]
}

function parseAgentArgs(args: readonly string[]): AgentArgs {
  const patterns: string[] = []
  const configArgs: string[] = []
  const problems: string[] = []
  let agentId: string | undefined
  let exitWithParent = false
  const takeAgentId = (value: string): void => {
    const parsed = agentIdSchema.safeParse(value)
    if (parsed.success) agentId = parsed.data
    else problems.push(`loadspec agent: --agent-id ${JSON.stringify(value)} ${parsed.error.issues[0]?.message ?? 'is not valid'}`)
  }
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string
    const inline = /^--scenarios=(.*)$/s.exec(arg)
    const inlineId = /^--agent-id=(.*)$/s.exec(arg)
    if (inline !== null) {
      patterns.push(inline[1] as string)
    } else if (arg === '--scenarios') {
      const next = args[index + 1]
      if (next === undefined || next.startsWith('--')) problems.push('loadspec agent: --scenarios needs a file or glob')
      else patterns.push(next)
      index++
    } else if (inlineId !== null) {
      takeAgentId(inlineId[1] as string)
    } else if (arg === '--agent-id') {
      const next = args[index + 1]
      if (next === undefined || next.startsWith('--')) problems.push('loadspec agent: --agent-id needs an id')
      else takeAgentId(next)
      index++
    } else if (arg === '--exit-with-parent') {
      exitWithParent = true
    } else if (!arg.startsWith('-')) {
      patterns.push(arg)
    } else {
      configArgs.push(arg)
    }
  }
  return { patterns, configArgs, agentId, exitWithParent, problems }
}
