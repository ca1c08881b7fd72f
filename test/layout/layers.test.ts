import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { circles, importGraph } from './import-graph'

const sourceFolders = ['miniprogram_npm_src', 'server', 'conformance', 'simulator']

/** The simulator's layers, each with the folders it may import from (its own included). */
const simulatorLayers: Record<string, string[]> = {
  model: ['model'],
  world: ['model', 'world'],
  http: ['model', 'http'],
  scenarios: ['model', 'world', 'scenarios'],
  render: ['model', 'world', 'scenarios', 'render'],
}

const simulatorLayer = (path: string): string => path.split('/')[1]

describe('the source tree shows its layers', () => {
  it.each(sourceFolders)('%s has no import circle, type-only imports included', (folder) => {
    expect(circles(importGraph(folder))).toEqual([])
  })

  it.each(sourceFolders)('%s keeps its files in folders, each folder named with its job in the README', (folder) => {
    const entries = readdirSync(folder)
    const loose = entries.filter((name) => name.endsWith('.ts') && name !== 'index.ts')
    expect(loose).toEqual([])
    const readme = readFileSync(join(folder, 'README.md'), 'utf8')
    const folders = entries.filter((name) => statSync(join(folder, name)).isDirectory())
    for (const sub of folders) expect(readme).toMatch(new RegExp('`' + sub + '/`'))
  })

  it('the shipped package never reaches into the server half, and the server takes only the wire contract from it', () => {
    const client = importGraph('miniprogram_npm_src')
    for (const [file, imports] of client) for (const target of imports) expect([file, target.startsWith('miniprogram_npm_src/')]).toEqual([file, true])
    const server = importGraph('server')
    const fromClient = [...server.values()].flat().filter((target) => !target.startsWith('server/'))
    expect([...new Set(fromClient)]).toEqual(['miniprogram_npm_src/wire/protocol.ts'])
  })

  it('the simulator imports only downwards: model ← world ← scenarios ← render, and http over the model alone', () => {
    const crossings: string[] = []
    for (const [file, imports] of importGraph('simulator')) {
      const allowed = simulatorLayers[simulatorLayer(file)]
      expect([file, allowed !== undefined]).toEqual([file, true])
      for (const target of imports) {
        if (!target.startsWith('simulator/')) continue
        if (!allowed.includes(simulatorLayer(target))) crossings.push(`${file} → ${target}`)
      }
    }
    expect(crossings).toEqual([])
  })

  it("the kit reads replies with the guard's own rules, imported, never copied", () => {
    const kit = importGraph('conformance')
    expect(kit.get('conformance/client/backend-client.ts')).toContain('miniprogram_npm_src/wire/reply-reading.ts')
    expect(kit.get('conformance/client/client-options.ts')).toContain('miniprogram_npm_src/app-session/app-session.ts')
    // The token rule and the status rule live in one place: no second spelling of either in the kit.
    const reading = ['\\x21-\\x7e', '4096}', 'statusCode < 400', 'status < 400']
    for (const file of kit.keys()) {
      const text = readFileSync(file, 'utf8')
      expect([file, reading.filter((needle) => text.includes(needle))]).toEqual([file, []])
    }
  })
})
