import { randomBytes, randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { subjectToken } from './protocol/subjects.js'

/**
 * Node ids become NATS subject tokens (an agent listens on
 * `…agent.<agentId>`), so they are sanitized, and a random suffix keeps two
 * containers that both run as pid 1 on look-alike hosts apart.
 */
export function newNodeId(role: 'agent' | 'coordinator', host = hostname(), pid = process.pid): string {
  return subjectToken(`${role === 'coordinator' ? 'coordinator-' : ''}${host}-${pid}-${randomBytes(3).toString('hex')}`)
}

export function newSessionId(): string {
  return randomUUID()
}

/**
 * One per process (per agent or coordinator object): unlike an agent id, it
 * is never chosen by a person, so two processes started with the same
 * --agent-id still differ here.
 */
export function newInstanceId(): string {
  return randomBytes(8).toString('hex')
}
