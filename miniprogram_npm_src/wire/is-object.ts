/**
 * `typeof value === 'object' && value !== null`, written without comparing typeof to 'object': WeChat's
 * ES6→ES5 compiler turns every such comparison into a call to babel's typeof helper, shipped with the package.
 */
export function isObject(value: unknown): value is object {
  return Object(value) === value && typeof value !== 'function'
}
