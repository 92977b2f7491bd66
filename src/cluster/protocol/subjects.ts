/**
 * NATS subjects of one cluster namespace. Everything lives under
 * `loadspec.<clusterId>.<agentGroup>.`, so a coordinator never hears agents
 * of another ClusterId or AgentGroup, and least-privilege permissions can be
 * granted per namespace:
 *
 *   loadspec.<c>.<g>.discover             coordinator → every agent
 *   loadspec.<c>.<g>.announce             agent → every coordinator
 *   loadspec.<c>.<g>.agent.<agentId>      coordinator → one agent (assign, start, stop, cancel, heartbeat, final-ack)
 *   loadspec.<c>.<g>.session.<sessionId>  agents → the session's coordinator (accepted, ready, heartbeat, interim, final, error)
 */

export const SUBJECT_ROOT = 'loadspec'

export interface ClusterSubjects {
  /** `loadspec.<clusterId>.<agentGroup>`; append `.>` for a permission or a monitor. */
  readonly namespace: string
  readonly discover: string
  readonly announce: string
  agent(agentId: string): string
  session(sessionId: string): string
}

export function clusterSubjects(clusterId: string, agentGroup: string): ClusterSubjects {
  const namespace = `${SUBJECT_ROOT}.${subjectToken(clusterId)}.${subjectToken(agentGroup)}`
  return {
    namespace,
    discover: `${namespace}.discover`,
    announce: `${namespace}.announce`,
    agent: (agentId) => `${namespace}.agent.${subjectToken(agentId)}`,
    session: (sessionId) => `${namespace}.session.${subjectToken(sessionId)}`,
  }
}

/**
 * Makes any non-empty text one safe subject token. Letters, digits, "-" and
 * "_" stay as they are (the config only allows those for ClusterId and
 * AgentGroup); every other byte becomes `~HH`. `~` itself is escaped, so two
 * different texts never give the same token, and ".", "*", ">" and blanks
 * can never split a token or act as wildcards.
 */
export function subjectToken(text: string): string {
  if (text.length === 0) throw new Error('A NATS subject token cannot be empty')
  let token = ''
  for (const char of text) {
    if (/^[A-Za-z0-9_-]$/.test(char)) {
      token += char
      continue
    }
    for (const byte of Buffer.from(char, 'utf8')) token += `~${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return token
}

/** NATS wildcard matching (`*` one token, `>` one or more tail tokens), for the in-memory transport. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const want = pattern.split('.')
  const have = subject.split('.')
  for (let i = 0; i < want.length; i++) {
    const token = want[i]
    if (token === '>') return have.length > i
    if (i >= have.length) return false
    if (token !== '*' && token !== have[i]) return false
  }
  return want.length === have.length
}
