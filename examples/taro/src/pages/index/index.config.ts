export default definePageConfig({ navigationBarTitleText: '手机号快捷登录' })
