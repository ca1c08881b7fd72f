// src/account/pages/me/index.tsx
import { Button, Text, View } from '@tarojs/components'
import { useState } from 'react'
import { guard } from '../../../session-guard'

// 分包里的页面导入同一个 guard / a subpackage's page imports the same guard
export default function Me() {
  const [userId, setUserId] = useState('')
  const [hint, setHint] = useState('')

  const loadUser = () => {
    guard.request({ url: 'https://api.example.com/me' }).then(
      (res) => {
        const body = res.data as { ok: boolean; user?: { id: string } }
        if (res.statusCode === 200 && body.user) setUserId(body.user.id)
      },
      () => setHint('网络不可用'),
    )
  }

  return (
    <View>
      <Button className='load-user' onClick={loadUser}>我的账号</Button>
      <Text className='user'>{userId}</Text>
      <Text className='hint'>{hint}</Text>
    </View>
  )
}
