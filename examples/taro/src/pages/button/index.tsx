// src/pages/button/index.tsx
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import type { PhoneNumberReply, PhoneNumberResult } from 'miniprogram-session-guard'

export default function ButtonPage() {
  const [phone, setPhone] = useState('')
  const [hint, setHint] = useState('')

  const onResult = (e: { detail: PhoneNumberResult<PhoneNumberReply> }) => {
    const outcome = e.detail
    if (outcome.status === 'ok' && outcome.reply.ok) {
      setPhone(outcome.reply.data.phoneNumber)
      setHint('')
    } else if (outcome.status === 'retry') setHint('请再点一次')
    else if (outcome.status === 'denied') setHint('已取消授权')
    else setHint('获取失败，请稍后再试')
  }

  return (
    <View>
      <phone-number-button className='login' onResult={onResult}>手机号快捷登录</phone-number-button>
      <Text className='phone'>{phone}</Text>
      <Text className='hint'>{hint}</Text>
    </View>
  )
}
