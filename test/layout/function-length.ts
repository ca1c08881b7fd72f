import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'

export interface LongFunction {
  /** file:line of the function's first line. */
  at: string
  name: string
  lines: number
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return tsFiles(path)
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : []
  })
}

const nameOf = (node: ts.Node, file: ts.SourceFile): string => {
  const named = node as ts.Node & { name?: ts.Node }
  if (named.name) return named.name.getText(file)
  const parent = node.parent
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))) return parent.name.getText(file)
  return ts.isConstructorDeclaration(node) ? 'constructor' : '(anonymous)'
}

/** Every function (declarations, methods, accessors, constructors, arrows, expressions) under `dir` longer than `max` lines, counted from its first line to its last. */
export function functionsLongerThan(dir: string, max: number): LongFunction[] {
  const long: LongFunction[] = []
  for (const path of tsFiles(dir)) {
    const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true)
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
        const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line
        const last = file.getLineAndCharacterOfPosition(node.getEnd()).line
        const lines = last - first + 1
        if (lines > max) long.push({ at: `${path}:${first + 1}`, name: nameOf(node, file), lines })
      }
      ts.forEachChild(node, visit)
    }
    visit(file)
  }
  return long
}
