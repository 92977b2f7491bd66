/** The report of a whole test run: one folder per load test and an index.html naming them all. */
export { testFolderName } from './test-folder.js'
export { readTestEntry, readTestEntries, writeTestEntry, TEST_ENTRY_FILE, type FoundEntry, type LoadTestEntry, type LoadTestVerdict } from './entry.js'
export { renderTestRunIndex, TEST_RUN_INDEX_FILE } from './index-page.js'
export { updateTestRunIndex } from './write-index.js'
