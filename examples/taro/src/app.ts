// src/app.ts
import { useDidShow } from '@tarojs/taro'
import type { PropsWithChildren } from 'react'
import { guard } from './session-guard'

function App({ children }: PropsWithChildren) {
  // 只在没有 token、会话失效时登录 / logs in only without a token or a valid session
  useDidShow(() => void guard.prepare())
  return children
}

export default App
