/**
 * Small functions in the shipped package and the server companion: none over 60 lines, counted from
 * its first line to its last (nested functions count inside their parent too). Read with the
 * TypeScript compiler's parser, so every kind of function is seen: declarations, methods, accessors,
 * constructors, arrows and function expressions.
 */
import { functionsLongerThan } from './function-length'

const MAX_LINES = 60

describe.each(['miniprogram_npm_src', 'server'])('%s', (dir) => {
  it(`has no function over ${MAX_LINES} lines`, () => {
    expect(functionsLongerThan(dir, MAX_LINES)).toEqual([])
  })
})

it(`sees a function of ${MAX_LINES + 1} lines, whatever its kind`, () => {
  // The check itself, on this repository's test support code: it must find what it is meant to find.
  expect(functionsLongerThan('test/layout/fixtures', MAX_LINES).map((f) => [f.name, f.lines])).toEqual([
    ['declared', 61],
    ['arrow', 61],
    ['method', 61],
  ])
})
