export default definePageConfig({ navigationBarTitleText: '独立分包' })
