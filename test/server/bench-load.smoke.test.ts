/**
 * `npm run bench:load` end to end with small numbers: every configuration starts, every phase runs
 * and stops by itself, every request is answered ok, and the summary prints. Timing is not asserted.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'

function bench(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-load.ts', ...args], { cwd: path.join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')))
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')))
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`bench:load did not finish in 100 s:\n${output}`))), 100_000)
    child.once('exit', (code) => (clearTimeout(timer), resolve({ code, output })))
  })
}

it('runs every configuration and phase with 4 clients and 40 requests, and prints the summary', async () => {
  // From source: the test needs no build (npm run bench:load measures the built server_dist).
  const { code, output } = await bench(['--clients=4', '--requests=40', '--warmup=8', '--repeats=1', '--processes=1,2', '--from=source'])
  expect([code, output]).toEqual([0, expect.any(String)])
  const summary = output.slice(output.indexOf('medians of 1 repeat'))
  const rows = summary.split('\n').filter((line) => /^(bare|companion)/.test(line))
  const redis = !output.includes('companion-redis (the multi-process runs) is skipped')
  const expected = ['bare×1 decrypt', 'companion-memory×1 cold-burst', 'companion-memory×1 mixed', 'companion-memory×1 flag1', 'bare×2 decrypt']
  if (redis) expected.push(...['×1', '×2'].flatMap((n) => ['cold-burst', 'mixed', 'flag1'].map((p) => `companion-redis${n} ${p}`)))
  expect(rows.map((r) => r.split(/\s+/).slice(0, 2).join(' ')).sort()).toEqual(expected.sort())
  for (const row of rows) {
    const cells = row.split(/\s+/)
    expect([row, Number(cells[2]), Number(cells[8])]).toEqual([row, cells[1] === 'cold-burst' ? 4 : 40, 0])
  }
  expect(summary).toMatch(/CPU per flag-'1' request, companion-memory×1 \/ bare×1: \d+\.\d\d×/)
})
