/**
 * `miniprogram-session-guard` and `miniprogram-session-guard/server` resolve, with their types, from the
 * packed package under every moduleResolution a TypeScript project may use: node10 (still the
 * default of `module: commonjs`) through typesVersions, node16 and bundler through `exports`.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { projectWithPackedPackage } from './support/packed-package'

const project = projectWithPackedPackage('session-guard-resolution-', ['@types/node'])
afterAll(() => project.remove())

const CONSUMER = `
import { createSessionGuard, type PhoneNumberReply, type SessionGuard } from 'miniprogram-session-guard'
import { createOpenDataHandler, createHttpHandler, MemoryStore, type PhoneNumberReply as ServerReply } from 'miniprogram-session-guard/server'

export const makeGuard = (): SessionGuard<PhoneNumberReply> => createSessionGuard<PhoneNumberReply>({ url: 'https://api.example.com/open-data' })
export const companion = createHttpHandler(createOpenDataHandler({ appId: 'wx', appSecret: 's', store: new MemoryStore() }), { sessionSecret: 'x'.repeat(32) })
export const same: ServerReply = { ok: false, reason: 'DECRYPT_FAILED' } satisfies PhoneNumberReply
`

// The four programs read the same lib and @types/node files: each is parsed once, for the mode its program asks.
const parsed = new Map<string, ts.SourceFile | undefined>()

function diagnostics(options: ts.CompilerOptions, file: string): string[] {
  const all: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2018, types: ['node'], typeRoots: [path.join(project.dir, 'node_modules/@types')], ...options }
  const host = ts.createCompilerHost(all)
  const read = host.getSourceFile.bind(host)
  host.getSourceFile = (name, version, ...rest) => {
    const key = `${name}|${JSON.stringify(version)}`
    if (!parsed.has(key)) parsed.set(key, read(name, version, ...rest))
    return parsed.get(key)
  }
  const program = ts.createProgram([file], all, host)
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
}

it.each([
  ['node10', { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 }, 'consumer.ts'],
  ['node16', { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 }, 'consumer.mts'],
  ['nodenext', { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }, 'consumer.cts'],
  ['bundler', { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }, 'consumer.ts'],
] as const)('moduleResolution %s: both entry points and their types resolve', (_name, options, name) => {
  const file = path.join(project.dir, name)
  writeFileSync(file, CONSUMER)
  expect(diagnostics(options, file)).toEqual([])
})
