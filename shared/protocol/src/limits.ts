/**
 * The protocol's documented limits (docs/limits.md lists them with their reasons). Every size, count and
 * rate the backbone accepts is bounded by one of these or by a setting that defaults to one of these.
 */
export const Limits = {
  /** Largest bootstrap request body an actor accepts, in bytes (larger ones get payloadTooLarge). */
  bootstrapRequestBytes: 16 * 1024,
  /** Largest message the bootstrap user may publish at all (its JWT's payload limit), in bytes. */
  bootstrapPayloadBytes: 64 * 1024,
  /** Largest message a device may publish (its JWT's payload limit), in bytes. */
  devicePayloadBytes: 256 * 1024,
  /** Subscriptions one device connection may hold. */
  deviceSubscriptions: 50,
  /** How long a challenge can be used, in milliseconds. */
  challengeLifetimeMs: 10 * 60 * 1000,
  /** Devices one identity may have that are not revoked. */
  devicesPerIdentity: 20,
  /** Default bootstrap requests per second from one client host (token bucket refill rate), and the burst. */
  bootstrapRatePerHost: 20,
  bootstrapBurstPerHost: 40,
  /** Default bootstrap requests per second across all hosts, and the burst. */
  bootstrapRateGlobal: 500,
  bootstrapBurstGlobal: 1000,
  /** Wrong passwords after which a token or template locks for everyone but its owner. */
  passwordAttempts: 10,
  /** Lifetime of an anonymous empty token (device onboarding), in milliseconds. */
  emptyTokenLifetimeMs: 2 * 60 * 1000,
  /** Latest expiry a token or template may have, from now, in milliseconds (ten years). */
  maxSharedContentLifetimeMs: 10 * 365 * 24 * 3600 * 1000,
  /** Messages from one sender to one recipient that the recipient has not yet confirmed receiving. */
  unreceivedMessagesPerSender: 1000,
  /** Pull limits of a device's mailbox consumer. */
  mailboxMaxBatch: 256,
  mailboxMaxWaiting: 16,
  mailboxMaxExpiresMs: 60_000,
  mailboxMaxBytes: 8 * 1024 * 1024,
  mailboxMaxAckPending: 1000,
} as const;
