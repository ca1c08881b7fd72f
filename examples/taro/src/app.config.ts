// src/app.config.ts
export default defineAppConfig({
  pages: ['pages/index/index', 'pages/button/index'],
  subPackages: [
    { root: 'account', pages: ['pages/me/index'] },
    // 独立分包：不能引用主包的 JS，打进自己的一份包 / independent: bundles its own copy of the package
    { root: 'chat', pages: ['pages/index/index'], independent: true },
  ],
  window: { navigationBarTitleText: 'session guard · Taro' },
})
