import { median, note } from './report.js'

/** One side of a comparison: runs once and returns its figures (e.g. { rps }). */
export interface Contender<Figures extends Record<string, number>> {
  readonly name: string
  run(): Promise<Figures>
  /**
   * A short run before the rounds, not measured: whoever ran first would
   * otherwise pay for JIT-compiling code the others share (undici's client,
   * the histogram).
   */
  warmUp?(): Promise<unknown>
}

/** Per contender: its figures in every round (in round order) and their medians. */
export interface RoundResults<Figures extends Record<string, number>> {
  readonly medians: Map<string, Figures>
  readonly samples: Map<string, Figures[]>
}

/**
 * Runs every contender once per round, rotating who goes first, so drift on
 * a shared machine (another job, thermal state, GC history) falls on all of
 * them alike. Returns each figure's median over the rounds, per contender,
 * and the rounds themselves for paired ratios.
 */
export async function alternate<Figures extends Record<string, number>>(
  label: string,
  contenders: readonly Contender<Figures>[],
  roundCount: number,
): Promise<RoundResults<Figures>> {
  const samples = new Map<string, Figures[]>(contenders.map((contender) => [contender.name, []]))
  for (const contender of contenders) await contender.warmUp?.()
  for (let round = 0; round < roundCount; round++) {
    for (let offset = 0; offset < contenders.length; offset++) {
      const contender = contenders[(round + offset) % contenders.length] as Contender<Figures>
      const figures = await contender.run()
      samples.get(contender.name)?.push(figures)
      note(`${label} round ${round + 1} ${contender.name}: ${describe(figures)}`)
      await settle()
    }
  }
  const medians = new Map<string, Figures>()
  for (const [name, runs] of samples) {
    const keys = Object.keys(runs[0] ?? {})
    medians.set(name, Object.fromEntries(keys.map((key) => [key, median(runs.map((run) => run[key] as number))])) as Figures)
  }
  return { medians, samples }
}

/**
 * The median over rounds of a[key] / b[key], each ratio taken within one
 * round: two runs minutes apart on a busy machine differ more than two
 * runs side by side, so pairing them first keeps the load of the moment out
 * of the ratio.
 */
export function pairedRatio<Figures extends Record<string, number>>(
  results: RoundResults<Figures>,
  numerator: string,
  denominator: string,
  key: keyof Figures & string,
): number {
  const tops = results.samples.get(numerator) ?? []
  const bottoms = results.samples.get(denominator) ?? []
  const ratios: number[] = []
  for (let round = 0; round < Math.min(tops.length, bottoms.length); round++) {
    const bottom = (bottoms[round] as Figures)[key] as number
    if (bottom > 0) ratios.push(((tops[round] as Figures)[key] as number) / bottom)
  }
  return median(ratios)
}

/** A short pause between runs: lets sockets close and the GC catch up, so one run's tail does not land in the next. */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200))
  globalThis.gc?.()
}

function describe(figures: Record<string, number>): string {
  return Object.entries(figures)
    .map(([key, value]) => `${key}=${Number.isInteger(value) ? value : value.toFixed(3)}`)
    .join(' ')
}
