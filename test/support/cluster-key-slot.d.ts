// cluster-key-slot 1.1.1 (the version ioredis routes with) ships no typings.
declare module 'cluster-key-slot' {
  /** The Redis Cluster hash slot of a key, hash tags included. */
  function calculateSlot(key: string | Buffer): number
  export = calculateSlot
}
