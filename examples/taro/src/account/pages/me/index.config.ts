export default definePageConfig({ navigationBarTitleText: '我的账号（分包）' })
