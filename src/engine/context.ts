import type { Partition } from '../result/result.js'
import type { StepRecorderLike } from './recording.js'

export interface ScenarioInfo {
  readonly scenarioName: string
  /** Which copy (closed model) or in-flight slot (open model) runs this iteration, from 0. */
  readonly instanceNumber: number
  readonly instanceId: string
}

/** Which share of the data this node owns: `number` is 0-based, below `count`. */
export type { Partition }

export interface Logger {
  debug(message: string, ...details: unknown[]): void
  info(message: string, ...details: unknown[]): void
  warn(message: string, ...details: unknown[]): void
  error(message: string, ...details: unknown[]): void
}

export interface RandomSource {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, maxExclusive). */
  int(min: number, maxExclusive: number): number
  pick<T>(items: readonly T[]): T
}

/** What init and clean receive: once per scenario per node. */
export interface ScenarioInitContext {
  readonly scenarioInfo: ScenarioInfo
  readonly partition: Partition
  readonly logger: Logger
  readonly random: RandomSource
  /** Aborts when the run is stopped. */
  readonly signal: AbortSignal
  /** Shared with every iteration as `ctx.scenarioInstanceData`'s prototype-free sibling: set up data here. */
  readonly scenarioData: Record<string, unknown>
}

/** What a handler receives for each iteration. */
export interface IterationContext {
  readonly invocationNumber: number
  readonly scenarioInfo: ScenarioInfo
  /** Aborts on stop and on iteration timeout. */
  readonly signal: AbortSignal
  /** A fresh bag for this invocation (shared with its steps). */
  readonly data: Record<string, unknown>
  /** Kept across the iterations of one copy / slot. */
  readonly scenarioInstanceData: Record<string, unknown>
  /** What init put in `scenarioData`, shared by all copies. */
  readonly scenarioData: Record<string, unknown>
  readonly logger: Logger
  readonly random: RandomSource
  readonly partition: Partition
  /** Stops the named scenario on this node (graceful: in-flight iterations finish). */
  stopScenario(scenarioName: string, reason: string): void
  /** Stops every scenario of this run. */
  stopCurrentTest(reason: string): void
}

/** How Step.run reaches the running scenario without widening the public context type. */
export const stepRecorderOf: unique symbol = Symbol.for('loadspec.stepRecorderOf') as never

export interface StepHost {
  [stepRecorderOf](stepName: string): StepRecorderLike | undefined
}

export function createRandomSource(seed: number): RandomSource {
  // mulberry32: small, fast and seedable, so a node's choices can be replayed.
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min, maxExclusive) => min + Math.floor(next() * (maxExclusive - min)),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('random.pick: the list is empty')
      return items[Math.floor(next() * items.length)] as T
    },
  }
}

export function createLogger(scenarioName: string, sink: LogSink = consoleSink): Logger {
  const prefix = `[loadspec:${scenarioName}]`
  return {
    debug: (message, ...details) => sink('debug', prefix, message, details),
    info: (message, ...details) => sink('info', prefix, message, details),
    warn: (message, ...details) => sink('warn', prefix, message, details),
    error: (message, ...details) => sink('error', prefix, message, details),
  }
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogSink = (level: LogLevel, prefix: string, message: string, details: unknown[]) => void

const consoleSink: LogSink = (level, prefix, message, details) => {
  if (level === 'debug' && process.env.LOADSPEC_DEBUG === undefined) return
  console[level](prefix, message, ...details)
}
