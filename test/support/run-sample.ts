/** Runs a docs sample as a CommonJS module would, with jest's require (which maps the package name to the built companion). */
export function runSample(code: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> }
  new Function('require', 'module', 'exports', code)(require, module, module.exports)
  return module.exports
}
