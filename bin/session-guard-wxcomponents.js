#!/usr/bin/env node
// Copies the package's native components into a uni-app project's wxcomponents/ folder, which uni-app
// copies into its WeChat build as is (a usingComponents path into node_modules emits nothing there).
//   npx session-guard-wxcomponents [dir]     dir defaults to src/wxcomponents
const { copyFileSync, existsSync, mkdirSync } = require('node:fs')
const path = require('node:path')

const COMPONENTS = ['phone-number-button']
const FILES = ['index.js', 'index.json', 'index.wxml', 'index.wxss']

function copyComponents(target) {
  const copied = []
  for (const name of COMPONENTS) {
    const from = path.join(__dirname, '..', 'miniprogram_dist', name)
    const to = path.join(target, name)
    mkdirSync(to, { recursive: true })
    for (const file of FILES) {
      copyFileSync(path.join(from, file), path.join(to, file))
      copied.push(path.join(to, file))
    }
  }
  return copied
}

function main(argv) {
  if (argv.includes('--help') || argv.includes('-h') || argv.length > 1) {
    console.log('usage: session-guard-wxcomponents [dir]   copy phone-number-button into dir (default src/wxcomponents)')
    return argv.length > 1 ? 2 : 0
  }
  const target = path.resolve(argv[0] || 'src/wxcomponents')
  if (!existsSync(path.dirname(target))) {
    console.error(`session-guard-wxcomponents: ${path.dirname(target)} does not exist (run it in the uni-app project's root)`)
    return 1
  }
  for (const file of copyComponents(target)) console.log(`copied ${path.relative(process.cwd(), file)}`)
  return 0
}

process.exitCode = main(process.argv.slice(2))
