/**
 * The curl walkthrough of docs/example.md and docs/example.en.md (block curl-walkthrough), run as
 * written with bash and curl against a fresh companion (only the address changes: the test's port instead of 3000).
 */
import { execFile } from 'node:child_process'
import { startExampleServer } from '../../example-server/companion'
import { sample } from '../docs/doc-pages'

function bash(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-eo', 'pipefail', '-c', script], { timeout: 30000 }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)))
  })
}

const curlAvailable = (() => {
  try {
    require('node:child_process').execFileSync('curl', ['--version'], { stdio: 'ignore' }) // eslint-disable-line @typescript-eslint/no-require-imports
    return true
  } catch {
    return false
  }
})()

;(curlAvailable ? it.each : it.skip.each)([['docs/example.md'], ['docs/example.en.md']])('%s: the curl walkthrough gets the number with flag 1, sees DECRYPT_FAILED after a rotation, and recovers with flag 0', async (page) => {
  const companion = await startExampleServer()
  try {
    const block = sample(page, 'curl-walkthrough')
    expect(block).toContain('S=http://127.0.0.1:3000')
    const lines = (await bash(block.replace('S=http://127.0.0.1:3000', `S=${companion.url}`))).trim().split('\n').map((l) => JSON.parse(l))
    expect(lines).toEqual([
      { ok: true, data: expect.objectContaining({ phoneNumber: '13800138000' }), source: 'decrypt' },
      expect.objectContaining({ ok: true, simulated: true }),
      { ok: false, reason: 'DECRYPT_FAILED' },
      expect.objectContaining({ ok: true, data: expect.objectContaining({ phoneNumber: '13800138000' }), source: 'decrypt', token: expect.any(String) }),
    ])
  } finally {
    await companion.close()
  }
})
