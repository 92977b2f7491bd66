/** How much of a long list the human-readable reports show; the JSON report keeps everything. */
export const TOP_ERRORS = 10
export const TOP_STATUS_CODES = 20
