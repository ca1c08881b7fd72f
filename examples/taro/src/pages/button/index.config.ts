// src/pages/button/index.config.ts
export default definePageConfig({
  navigationBarTitleText: '手机号按钮组件',
  usingComponents: { 'phone-number-button': 'miniprogram-session-guard/phone-number-button' },
})
