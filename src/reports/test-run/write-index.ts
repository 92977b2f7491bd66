/**
 * Keeps a test run's index.html up to date. Every load test, once it has
 * written its entry, renders the index from all entries in the run folder.
 * Test files run in parallel workers, so two may render at once and the one
 * that renames last may have read fewer entries: each writer lists the
 * entries again after its rename and renders again if the list changed.
 * Whoever renames last has then seen every entry written before it, and
 * every entry written later is followed by its own writer's rename, so the
 * index that stays names every test.
 */
import { join } from 'node:path'
import { writeFileAtomically } from '../atomic-write.js'
import { readTestEntries, type FoundEntry } from './entry.js'
import { renderTestRunIndex, TEST_RUN_INDEX_FILE } from './index-page.js'

/** More rounds than tests finishing within one render of each other would need. */
const MAX_ROUNDS = 20

/** Renders `<runFolder>/index.html` from every entry there; returns its path. */
export async function updateTestRunIndex(runFolder: string): Promise<string> {
  const path = join(runFolder, TEST_RUN_INDEX_FILE)
  let listing = await readTestEntries(runFolder)
  for (let round = 0; round < MAX_ROUNDS; round++) {
    await writeFileAtomically(path, renderTestRunIndex(listing.found, listing.problems))
    const again = await readTestEntries(runFolder)
    if (signature(again.found) === signature(listing.found)) return path
    listing = again
  }
  return path
}

function signature(found: readonly FoundEntry[]): string {
  return found.map(({ folderName, entry }) => `${folderName}\u0000${entry.key}\u0000${entry.finishedAt}\u0000${entry.verdict}`).join('\n')
}
