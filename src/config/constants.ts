/** Closed sets of values and limits shared by the schema and the rules. */

export const NODE_TYPES = ['Single', 'Coordinator', 'Agent', 'Client'] as const
export type NodeType = (typeof NODE_TYPES)[number]

export const REPORT_FORMATS = ['html', 'json', 'md', 'txt', 'csv'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

/**
 * Longest delay `setTimeout` honours (2^31 - 1 ms, about 24.8 days); a
 * larger one fires at once, so a huge timeout would act like no wait at all.
 */
export const MAX_TIMER_MS = 2_147_483_647
