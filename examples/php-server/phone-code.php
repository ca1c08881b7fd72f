<?php
declare(strict_types=1);

/**
 * Phone codes (P-PHONE-*): redeemed at WeChat at most once across every process, only for a known
 * user; the same user resending the same code gets the same number, anyone else PHONE_CODE_REJECTED.
 */
final class PhoneCodes
{
    private const TOKEN_MARGIN_SECONDS = 300;

    public function __construct(private readonly Store $store, private readonly WeChat $wechat)
    {
    }

    /** @return array{phoneNumber: string, purePhoneNumber: string, countryCode: string} */
    public function redeem(string $openid, string $phoneCode): array
    {
        $claim = $this->store->claim('phone', $phoneCode, $openid);
        if ($claim !== null) {
            if ($claim['owner'] === $openid && $claim['result'] !== null) {
                return json_decode($claim['result'], true);
            }
            throw new ProtocolFailure('PHONE_CODE_REJECTED');
        }
        $answer = $this->ask($phoneCode, $openid);
        $errcode = $answer->errcode();
        if ($answer->json !== null && ($errcode === 40001 || $errcode === 42001)) {
            // The cached access token was refused: a new one, and one retry (P-PHONE-4).
            $answer = $this->ask($phoneCode, $openid, true);
            $errcode = $answer->errcode();
        }
        if ($answer->json === null || $errcode === -1 || $errcode === 45011) {
            if ($answer->unreachable || $errcode === -1 || $errcode === 45011) {
                $this->store->release('phone', $phoneCode);
            }
            throw new ProtocolFailure('WECHAT_UNAVAILABLE');
        }
        if ($errcode === 40029 || $errcode === 40163) {
            throw new ProtocolFailure('PHONE_CODE_REJECTED');
        }
        $info = $answer->json['phone_info'] ?? null;
        if ($errcode !== 0 || !is_array($info) || !isset($info['phoneNumber'])) {
            throw new ProtocolFailure('WECHAT_UNAVAILABLE');
        }
        $number = [
            'phoneNumber' => (string) $info['phoneNumber'],
            'purePhoneNumber' => (string) ($info['purePhoneNumber'] ?? $info['phoneNumber']),
            'countryCode' => (string) ($info['countryCode'] ?? ''),
        ];
        $this->store->settleClaim('phone', $phoneCode, json_encode($number));
        return $number;
    }

    private function ask(string $phoneCode, string $openid, bool $freshToken = false): WeChatAnswer
    {
        $token = $this->accessToken($freshToken);
        // Without an access token the phone code never left: WeChat did not see it.
        return $token === null ? new WeChatAnswer(null, true) : $this->wechat->phoneNumber($token, $phoneCode, $openid);
    }

    private function accessToken(bool $fresh): ?string
    {
        $cached = $this->store->accessToken();
        if ($cached !== null && $fresh) {
            $this->store->dropAccessToken($cached);
        } elseif ($cached !== null) {
            return $cached;
        }
        $answer = $this->wechat->fetchAccessToken($fresh);
        $token = $answer->json['access_token'] ?? null;
        if (!is_string($token) || $token === '' || $answer->errcode() !== 0) {
            return null;
        }
        $lifetime = (int) ($answer->json['expires_in'] ?? 7200);
        $this->store->saveAccessToken($token, microtime(true) + max(60, $lifetime - self::TOKEN_MARGIN_SECONDS));
        return $token;
    }
}
