/**
 * The place for the cluster benchmark (issue 7): two local agent processes
 * against one node on a CPU-bound scenario (target >= 1.6x), session start
 * latency, and the size of a stats message. It belongs with src/cluster and
 * is written by whoever builds it; until then this prints that it is pending,
 * so `npm run bench` stays complete and `npm run bench -- cluster` says why
 * there is nothing to see.
 *
 * Contract for the implementation: export `clusterBench(): Promise<void>`,
 * run the contenders alternately (support/rounds.ts), start agents as child
 * processes (support/child.ts), and print `cluster.<figure> <value> [unit]`
 * lines through support/report.ts.
 */
import { note } from './support/report.js'

export async function clusterBench(): Promise<void> {
  note('cluster: pending — written with src/cluster (see bench/cluster.ts for what it must print)')
}
