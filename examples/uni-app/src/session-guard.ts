// src/session-guard.ts
import { createSessionGuard, type PhoneNumberReply } from 'miniprogram-session-guard'

// 整个小程序一个 guard：只在这里创建，App.vue 与各页面（分包也一样）都导入它
// One guard for the whole app, created here only; App.vue and every page (subpackages too) import it.
export const guard = createSessionGuard<PhoneNumberReply>({
  url: 'https://api.example.com/open-data', // 开放数据 / open data: POST JSON
  loginUrl: 'https://api.example.com/login', // 登录 / login: POST { code }
})
