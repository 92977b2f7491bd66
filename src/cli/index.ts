import { runAgentCommand } from './agent.js'
import { runCoordinatorCommand } from './coordinator.js'
import { importUserModule } from './load-module.js'
import { reportCommand } from './report.js'

const USAGE = `usage: loadspec <command> [options]

commands:
  run <file.ts|file.js>     run a script that calls Runner...run() (TypeScript needs no build step)
  agent --scenarios <glob>  serve coordinator sessions over NATS with the scenarios the modules export
  coordinator [--status]    run a coordinator service that test runs (NodeType Client) submit to; --status asks it
  report <result.json>...   render reports (--format=html,md) from saved JSON results, --merge them, or --compare base new
  help                      this text

Config keys are accepted as --Key=value (e.g. --NodeType=Agent --AgentsCount=2),
as LOADSPEC_<KEY> environment variables, or from --config=loadspec.config.json.`

/** Entry point of the `loadspec` bin. Returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    case 'run': {
      const file = rest.find((arg) => !arg.startsWith('--'))
      if (file === undefined) {
        console.error('loadspec run: give the script to run, e.g. loadspec run examples/single-node/main.ts')
        return 2
      }
      await importUserModule(file)
      // A script may set its own exit code (e.g. when a budget is broken): keep it.
      return typeof process.exitCode === 'number' ? process.exitCode : 0
    }
    case 'report':
      return reportCommand(rest)
    case 'agent':
      return runAgentCommand(rest)
    case 'coordinator':
      return runCoordinatorCommand(rest)
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE)
      return command === undefined ? 2 : 0
    default:
      console.error(`loadspec: unknown command "${command}"\n\n${USAGE}`)
      return 2
  }
}
