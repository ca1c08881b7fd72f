// src/app.config.ts
export default defineAppConfig({
  pages: ['pages/index/index', 'pages/button/index'],
  subPackages: [{ root: 'account', pages: ['pages/me/index'] }],
  window: { navigationBarTitleText: 'session guard · Taro' },
})
