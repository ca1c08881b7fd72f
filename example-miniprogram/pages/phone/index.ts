import type { PhoneNumberResult } from 'miniprogram-session-guard'

type Result = PhoneNumberResult<{ ok: true; data: { phoneNumber: string } }>

/** 13800138000 → 138****8000 */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : phone
}

function hintFor(result: Result): string {
  if (result.status === 'retry') return '登录状态已刷新，请再点一次'
  if (result.status === 'denied') return '你取消了授权，需要时可以再点'
  if (result.status === 'failed') return `获取手机号失败（${result.reason}），请稍后再试`
  return ''
}

// Pages are written with Component() so miniprogram-simulate can test them.
Component({
  data: { phone: '', hint: '', simulated: false },
  lifetimes: {
    attached() {
      // Development only: app.ts chose the companion's simulated WeChat (tourist appid), so its panel replaces the real button.
      this.setData({ simulated: !!getApp<{ simulatedWeChat?: unknown }>().simulatedWeChat })
    },
  },
  methods: {
    onResult(event: { detail: Result }) {
      const result = event.detail
      if (result.status === 'ok') this.setData({ phone: maskPhone(result.reply.data.phoneNumber), hint: '' })
      else this.setData({ hint: hintFor(result) })
    },
  },
})
