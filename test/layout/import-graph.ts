import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import * as ts from 'typescript'

/** Every relative import of every .ts file under `folder` (type-only imports included), as repo paths. */
export function importGraph(folder: string): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) graph.set(path, importsOf(path))
    }
  }
  walk(folder)
  return graph
}

function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolveTs(resolve(dirname(file), spec)))
    .filter((path): path is string => path !== undefined)
}

function resolveTs(base: string): string | undefined {
  const candidates = [`${base}.ts`, join(base, 'index.ts'), base]
  const found = candidates.find((path) => existsSync(path) && statSync(path).isFile())
  return found && relative(process.cwd(), found)
}

/** Each import circle once, as the list of files around it. */
export function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (file: string): void => {
    state.set(file, 'open')
    stack.push(file)
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)))
      else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(file, 'done')
  }
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file)
  return found
}
