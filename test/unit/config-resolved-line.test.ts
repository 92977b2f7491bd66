/** The resolved-config line: set keys with their source, and what a higher source overrode. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { resolveConfigWithSources, resolvedConfigLine, type ResolveConfigOptions } from '../../src/config/index.js'

const dir = mkdtempSync(join(tmpdir(), 'loadspec-config-line-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function line(options: ResolveConfigOptions): string | undefined {
  return resolvedConfigLine(resolveConfigWithSources({ argv: [], env: {}, cwd: dir, ...options }), { builderLabel: 'plugin option', cwd: dir })
}

describe('resolvedConfigLine', () => {
  it('says nothing when nothing came from outside the code', () => {
    expect(line({})).toBeUndefined()
    expect(line({ builder: { agentsCount: 2, clusterId: 'shop' } })).toBeUndefined()
  })

  it('names the winning source of every set key and each different value it overrode, once', () => {
    const file = join(dir, 'loadspec.config.json')
    writeFileSync(file, JSON.stringify({ LoadStrike: { AgentsCount: 3, ClusterId: 'file-cluster' } }))
    const text = line({ argv: ['--AgentsCount=1'], env: { LOADSPEC_CLUSTER_ID: 'env-cluster' }, builder: { agentsCount: 2, configFile: 'loadspec.config.json', targetScenarios: ['a', 'b'] } })
    expect(text).toBe(
      'loadspec config: ClusterId=env-cluster (env LOADSPEC_CLUSTER_ID, overrides file loadspec.config.json file-cluster); ' +
        'AgentsCount=1 (CLI, overrides plugin option 2, overrides file loadspec.config.json 3); ' +
        'TargetScenarios=a,b (plugin option)',
    )
  })

  it('the same value from a lower source overrides nothing', () => {
    expect(line({ argv: ['--AgentsCount=2'], builder: { agentsCount: 2 } })).toBe('loadspec config: AgentsCount=2 (CLI)')
    expect(line({ argv: ['--TargetScenarios=a,b'], builder: { targetScenarios: ['a', 'b'] } })).toBe('loadspec config: TargetScenarios=a,b (CLI)')
  })

  it('never shows a secret or the credentials in a URL', () => {
    const text = line({
      env: { LOADSPEC_NATS_PASSWORD: 'hunter2', LOADSPEC_NATS_SERVER_URL: 'nats://bob:pw@10.0.0.5:4222' },
      builder: { natsPassword: 'other', natsUser: 'bob', nodeType: 'Agent' },
    })
    expect(text).toContain('NatsPassword=*** (env LOADSPEC_NATS_PASSWORD, overrides plugin option ***)')
    expect(text).toContain('NatsServerUrl=nats://***@10.0.0.5:4222 (env LOADSPEC_NATS_SERVER_URL)')
    expect(text).not.toMatch(/hunter2|other|pw@/)
  })
})
