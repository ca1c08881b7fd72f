<?php
declare(strict_types=1);

/**
 * The data route (§5): flag '0' exchanges its code and uses that key; flag '1' is the token's user
 * with the stored keys. Sealed data first, then the phone code (P-DATA-3).
 */
final class OpenDataRoute
{
    public function __construct(
        private readonly Config $config,
        private readonly Store $store,
        private readonly LoginCodes $codes,
        private readonly PhoneCodes $phones,
        private readonly Tokens $tokens,
    ) {
    }

    /** @param array<string, mixed> $body */
    public function handle(array $body, ?string $bearer): Reply
    {
        $payload = Payload::parse($body);
        if ($payload->flag === '0') {
            [$openid, $key] = $this->codes->exchange((string) $payload->code);
            // The key is stored: every answer from here on carries the session token (P-ID-1), failures included.
            $keys = array_values(array_unique(array_merge([$key], $this->store->keys($openid))));
            return $this->serve($payload, $openid, $keys)->with($this->tokens->issue($openid));
        }
        // Flag '1': only the token says who asks (P-ID-2); a refused token is an expired session (P-ID-3, P-STATUS-3).
        $openid = $this->tokens->verify($bearer);
        if ($openid === null) {
            return $bearer === null ? Reply::fail('SESSION_KEY_MISSING') : Reply::fail('SESSION_EXPIRED', 401);
        }
        return $this->serve($payload, $openid, $this->store->keys($openid));
    }

    /** @param list<string> $keys */
    private function serve(Payload $payload, string $openid, array $keys): Reply
    {
        $first = null;
        if ($payload->sealed()) {
            $opened = $keys === [] ? 'SESSION_KEY_MISSING' : OpenData::open($keys, (string) $payload->iv, (string) $payload->encryptedData, $this->config->appId, $payload->watermarkOptional());
            if (is_array($opened)) {
                return Reply::ok(['data' => (object) $opened, 'source' => 'decrypt']);
            }
            // Only a want of the right key lets the phone code try; the watermark of another app ends it.
            if ($opened === 'WATERMARK_MISMATCH' || $payload->phoneCode === null) {
                return Reply::fail($opened);
            }
            $first = $opened;
        }
        try {
            return Reply::ok(['data' => $this->phones->redeem($openid, (string) $payload->phoneCode), 'source' => 'phone-code']);
        } catch (ProtocolFailure $failure) {
            return Reply::fail($first ?? $failure->reason);
        }
    }
}
