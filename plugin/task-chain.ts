/**
 * The chain behind loadScenario (`.skip`, `.only`, `.todo`, `.fails`,
 * `.skipIf(…)`…), built as Vitest builds `test`'s and registering through
 * the same `getCurrentSuite().task()`, but with every member declared: what
 * fits a load test is typed, and each other member of Vitest's
 * `createTaskCollector` refuses with what to write instead. Like `test`, it
 * refuses to register while a test runs: Vitest has collected the file by
 * then, and the load test would never run.
 */
import { TestRunner } from 'vitest'

/** What a chain has collected: `loadScenario.skip.fails` registers with `{ skip: true, fails: true }`. */
export interface ChainModifiers {
  readonly skip?: true
  readonly only?: true
  readonly todo?: true
  readonly fails?: true
}

/** Registers one task; `args` are the call's arguments, unchecked (the caller checks them where the user wrote them). */
export type RegisterTask = (modifiers: ChainModifiers, args: unknown[]) => void

export interface TaskChain {
  (...args: unknown[]): void
  readonly skip: TaskChain
  readonly only: TaskChain
  readonly fails: TaskChain
  readonly todo: (...args: unknown[]) => void
  skipIf(condition: unknown): TaskChain
  runIf(condition: unknown): TaskChain
}

/** The members of Vitest's `test` that `collector` does not offer, and why, as the error says it. */
export function refusedMembers(collector: string): Readonly<Record<string, string>> {
  const fixtures =
    `test fixtures are set up when a test starts, but a load test's scenarios exist before it. ` +
    `Start what they need in beforeAll/afterAll, or in Scenario.withInit/withClean.`
  const loop =
    `write a loop instead: for (const rate of [10, 50]) ${collector}(\`checkout at \${rate} rps\`, ` +
    `[checkout.withLoadSimulations(Simulation.inject(rate, 1, 30))], assert).`
  const oneAtATime =
    "load tests run one at a time, also inside describe.concurrent and under sequence.concurrent, so that one test's load " +
    'does not slow down the target another test measures.'
  const notHere = (vitestName: string): string => `it is Vitest's: import { ${vitestName} } from 'vitest' and call it directly.`
  return {
    concurrent: `${oneAtATime} Drop .concurrent.`,
    // Vitest 5 has dropped test.sequential; for a load test it would change nothing.
    sequential: `${oneAtATime} Drop .sequential.`,
    each: loop,
    for: loop,
    extend: fixtures,
    override: fixtures,
    scoped: fixtures,
    ...Object.fromEntries(
      ['describe', 'suite', 'beforeEach', 'afterEach', 'beforeAll', 'afterAll', 'aroundEach', 'aroundAll'].map((name) => [name, notHere(name)]),
    ),
  }
}

/** Members that Vitest's chain reads as modifiers (getters), not calls. */
const MODIFIERS: ReadonlySet<string> = new Set(['concurrent', 'sequential'])

/** A chain named `collector` (for messages) whose calls end in `register`. */
export function createTaskChain(collector: string, register: RegisterTask): TaskChain {
  const refused = refusedMembers(collector)
  const refusal = (member: string): Error => new TypeError(`${collector}.${member} is not supported: ${refused[member]}`)
  const registerOutsideTests = (modifiers: ChainModifiers, args: unknown[]): void => {
    const running = TestRunner.getCurrentTest()
    if (running !== undefined) {
      throw new Error(
        `${collector}(${JSON.stringify(args[0]) ?? String(args[0])}) was called inside the running test "${running.name}": ` +
          `Vitest collects a file's tests before it runs any, so a load test registered now would never run. ` +
          `Call ${collector} at the top level of the test file or inside describe().`,
      )
    }
    register(modifiers, args)
  }

  function chainWith(modifiers: ChainModifiers): TaskChain {
    const chain = (...args: unknown[]): void => registerOutsideTests(modifiers, args)
    const modifier = (key: keyof ChainModifiers): PropertyDescriptor => ({ get: () => chainWith({ ...modifiers, [key]: true }) })
    const refusedDescriptors = Object.fromEntries(
      Object.keys(refused).map((member): [string, PropertyDescriptor] =>
        // A modifier refuses as soon as it is read (`.concurrent.skip(…)` never gets further); the others when called.
        MODIFIERS.has(member) ? [member, { get: () => { throw refusal(member) } }] : [member, { value: () => { throw refusal(member) } }],
      ),
    )
    // Getters, so that `.skip.only.fails` builds each link only when it is read. defineProperties
    // returns the arrow's own type: the members TaskChain adds are the ones defined right here.
    return Object.defineProperties(chain, {
      ...refusedDescriptors,
      skip: modifier('skip'),
      only: modifier('only'),
      fails: modifier('fails'),
      todo: { value: (...args: unknown[]): void => registerOutsideTests({ ...modifiers, todo: true }, args) },
      skipIf: { value: (condition: unknown): TaskChain => (condition ? chainWith({ ...modifiers, skip: true }) : chainWith(modifiers)) },
      runIf: { value: (condition: unknown): TaskChain => (condition ? chainWith(modifiers) : chainWith({ ...modifiers, skip: true })) },
    }) as TaskChain
  }

  return chainWith({})
}
