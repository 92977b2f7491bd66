import { stepRecorderOf, type IterationContext, type StepHost } from './context.js'
import { isResponse, Response, responseProblem, type ScenarioResponse } from './response.js'
import { errorMessage, EXCEPTION_STATUS, INVALID_RESPONSE_STATUS, invalidResultMessage } from './outcome.js'

/**
 * Thrown by Step.run when a step fails, so the iteration ends there and is
 * failed with the step's status and message (NBomber's rule: a failed step
 * fails its iteration). Catch it in the handler to carry on regardless.
 */
export class StepFailedError extends Error {
  override readonly name = 'StepFailedError'
  constructor(
    readonly stepName: string,
    readonly response: ScenarioResponse,
  ) {
    super(`step "${stepName}" failed${response.message ? `: ${response.message}` : ''}`)
  }
}

/**
 * The step failure behind a thrown value, or undefined. Also recognises a
 * StepFailedError from another copy of loadspec (agents load scenarios
 * through Vite), and never throws: the value may be a hostile Proxy.
 */
export function stepFailureOf(thrown: unknown): StepFailedError | undefined {
  try {
    if (thrown instanceof StepFailedError) return thrown
    if (thrown instanceof Error && thrown.name === 'StepFailedError' && isResponse((thrown as { response?: unknown }).response)) {
      return thrown as StepFailedError
    }
  } catch {
    // instanceof or a getter threw: not a step failure.
  }
  return undefined
}

export const Step = {
  /** Times a named step of an iteration; steps get stats of their own. */
  async run(
    stepName: string,
    ctx: IterationContext,
    fn: () => Promise<ScenarioResponse | void> | ScenarioResponse | void,
  ): Promise<ScenarioResponse> {
    const recorder = (ctx as unknown as StepHost)[stepRecorderOf]?.(stepName)
    if (recorder === undefined) {
      throw new TypeError(`Step.run("${stepName}", ctx, fn): ctx must be the iteration context a scenario handler received`)
    }
    const startMs = performance.now()
    let result: unknown
    try {
      result = await fn()
    } catch (error) {
      recorder.recordFail(elapsedUs(startMs), 0, EXCEPTION_STATUS, errorMessage(error))
      throw error
    }
    const problem = resultProblem(stepName, result)
    if (problem !== undefined) {
      const failure = Response.fail(INVALID_RESPONSE_STATUS, problem)
      recorder.recordFail(elapsedUs(startMs), 0, failure.statusCode, failure.message)
      throw new StepFailedError(stepName, failure)
    }
    const response = result === undefined ? Response.ok() : (result as ScenarioResponse)
    const latencyUs = response.customLatencyMs === undefined ? elapsedUs(startMs) : Math.round(response.customLatencyMs * 1000)
    if (response.isError) {
      recorder.recordFail(latencyUs, response.sizeBytes, response.statusCode, response.message)
      throw new StepFailedError(stepName, response)
    }
    recorder.recordOk(latencyUs, response.sizeBytes, response.statusCode, response.message)
    return response
  },
}

/** Why a step's result cannot be recorded as it is (the checks a handler's result gets), or undefined. */
function resultProblem(stepName: string, result: unknown): string | undefined {
  if (result === undefined) return undefined
  if (!isResponse(result)) return invalidResultMessage(`step "${stepName}"`, result)
  const problem = responseProblem(result)
  return problem === undefined ? undefined : `step "${stepName}" returned a Response whose ${problem}`
}

function elapsedUs(startMs: number): number {
  return Math.round((performance.now() - startMs) * 1000)
}
