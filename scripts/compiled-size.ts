/** npm run compiled-size — the package's js and the babel helpers it pulls in, raw and gzipped, after WeChat's compiler. */
import { compiledPackage, compiledSize, describeSize } from './compiled-package'

const size = compiledSize(compiledPackage())
console.log('miniprogram-ci getCompiledResult, ES6→ES5 on, minify on:')
console.log(describeSize(size))
