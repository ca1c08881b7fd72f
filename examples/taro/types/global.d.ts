/// <reference types="@tarojs/taro" />

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp'
  }
}

// 原生组件 phone-number-button 在 JSX 里的类型 / the native component's type in JSX
declare namespace JSX {
  interface IntrinsicElements {
    'phone-number-button': {
      className?: string
      realtime?: boolean
      guardKey?: string
      onResult?: (e: { detail: import('miniprogram-session-guard').PhoneNumberResult<import('miniprogram-session-guard').PhoneNumberReply> }) => void
      children?: import('react').ReactNode
    }
  }
}
