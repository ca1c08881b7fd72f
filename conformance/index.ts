/** The bin: `npx session-guard-conformance --server <base URL> …` (see docs/protocol.md). */
import { runKit } from './cli/run-kit'

runKit(process.argv.slice(2), { out: (text) => process.stdout.write(text + '\n'), err: (text) => process.stderr.write(text + '\n') }).then(
  ({ exitCode }) => {
    process.exitCode = exitCode
  },
  (error: unknown) => {
    process.stderr.write(`session-guard-conformance: ${error instanceof Error ? error.stack || error.message : String(error)}\n`)
    process.exitCode = 2
  },
)
