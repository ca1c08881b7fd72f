/**
 * RedisStore's scripts. Each touches only its KEYS, all in one hash slot (see redis-keys.ts), and
 * does its whole read-modify-write at once, so processes sharing Redis see one history per key.
 */

// placeKey (key-order.ts) in Lua, for each (key, exchangedAt) pair in ARGV[3..]. ARGV[1]: the ttl;
// ARGV[2]: how far ahead of Redis's clock an exchange time may be ('' for no check). Returns
// { created, current, rotatedAt, previous or '', previousAt }.
export const SET = `
local function newer(k, at, than, thanAt)
  if at ~= thanAt then return at > thanAt end
  for i = 1, math.min(#k, #than) do
    local a, b = string.byte(k, i), string.byte(than, i)
    if a ~= b then return a > b end
  end
  return #k > #than
end
local f = redis.call('HMGET', KEYS[1], 'current', 'rotatedAt', 'previous', 'previousAt')
local created = f[1] == false
local cur, curAt, prev, prevAt = f[1], tonumber(f[2] or '0') or 0, f[3], tonumber(f[4] or '0') or 0
if ARGV[2] ~= '' then
  local t = redis.call('TIME')
  local limit = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[2])
  for i = 3, #ARGV, 2 do
    if tonumber(ARGV[i + 1]) > limit then return redis.error_reply('CLOCK_AHEAD exchange time ahead of the Redis clock') end
  end
end
for i = 3, #ARGV, 2 do
  local k, at = ARGV[i], tonumber(ARGV[i + 1])
  if not cur then
    cur, curAt = k, at
  elseif k == cur then
    curAt = math.max(curAt, at)
  elseif prev and k == prev then
    prevAt = math.max(prevAt, at)
    if newer(prev, prevAt, cur, curAt) then cur, curAt, prev, prevAt = prev, prevAt, cur, curAt end
  elseif newer(k, at, cur, curAt) then
    prev, prevAt, cur, curAt = cur, curAt, k, at
  elseif (not prev) or newer(k, at, prev, prevAt) then
    prev, prevAt = k, at
  end
end
local curAtS, prevAtS = string.format('%.0f', curAt), string.format('%.0f', prevAt)
redis.call('HSET', KEYS[1], 'current', cur, 'rotatedAt', curAtS)
if prev then redis.call('HSET', KEYS[1], 'previous', prev, 'previousAt', prevAtS) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return { created and 1 or 0, cur, curAtS, prev or '', prev and prevAtS or '' }`

// A read renews the user's keys: a user who only ever sends flag '1' keeps them.
export const GET = `
local flat = redis.call('HGETALL', KEYS[1])
if #flat > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return flat`

export const DEL = `return redis.call('DEL', KEYS[1])`

// Deletes an old-layout user key only if it still holds what was merged (an old process may have written since).
export const DEL_IF_UNCHANGED = `
if redis.call('HGET', KEYS[1], 'current') == ARGV[1] and redis.call('HGET', KEYS[1], 'rotatedAt') == ARGV[2] then return redis.call('DEL', KEYS[1]) end
return 0`

// Claims are counted per shard and per window of one ttl: this window's plus the last one's bound the shard's live codes.
export const CLAIM = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local live = tonumber(redis.call('GET', KEYS[2]) or '0') + tonumber(redis.call('GET', KEYS[3]) or '0')
if live >= tonumber(ARGV[2]) then return -1 end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1`
