/**
 * How often each side checks whether its peer went silent: a tenth of the
 * lost timeout (at least 20 ms, at most one heartbeat interval), so a silent
 * peer is noticed within ~10 % of AgentLostTimeoutMs, not a whole heartbeat
 * interval late.
 */
export function livenessCheckIntervalMs(heartbeatIntervalMs: number, lostTimeoutMs: number): number {
  return Math.min(heartbeatIntervalMs, Math.max(20, Math.floor(lostTimeoutMs / 10)))
}
