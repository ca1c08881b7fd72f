/**
 * npm run try — starts the companion with its simulated WeChat (no credentials) and walks the protocol,
 * printing every request and reply. `--url=http://127.0.0.1:3000` walks a companion already running.
 */
import { startExampleServer } from '../example-server/companion'
import { formatStep, walkthrough } from '../example-server/walkthrough'
import { describePolicies, policiesFrom } from '../simulator/model/policy-names'

async function main(): Promise<void> {
  const given = process.argv.slice(2).find((arg) => arg.startsWith('--url='))
  const policies = policiesFrom(process.argv.slice(2), process.env)
  const companion = given ? undefined : await startExampleServer({ policies })
  const url = given ? given.slice('--url='.length) : (companion?.url as string)
  console.log(`companion: ${url}${companion ? ` (started here; simulated WeChat: ${describePolicies(policies)})` : ''}\n`)
  try {
    await walkthrough(url, (step, index) => console.log(`${formatStep(step, index)}\n`))
  } finally {
    await companion?.close()
  }
  console.log('The same steps with curl: docs/example.md, "用 curl 走一遍协议" (English: docs/example.en.md).')
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
