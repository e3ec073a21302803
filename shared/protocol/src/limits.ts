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
  /**
   * Default quotas per identity (the `basic` tier): tokens and templates not yet expired, messages sent per
   * hour, relationships not yet decomposed, files held, bytes of files held.
   */
  quotaTokens: 1000,
  quotaTemplates: 1000,
  quotaMessagesPerHour: 10_000,
  quotaRelationships: 10_000,
  quotaFiles: 10_000,
  quotaStorageBytes: 10 * 1024 ** 3,
  /** Largest sealed batch of datawallet modifications one push carries, in bytes. */
  datawalletBatchBytes: 128 * 1024,
  /** Default grace period between starting an identity's deletion and the deletion, in days. */
  deletionGracePeriodDays: 14,
  /** Messages from one sender to one recipient that the recipient has not yet confirmed receiving. */
  unreceivedMessagesPerSender: 1000,
  /** Pull limits of a device's mailbox consumer. */
  mailboxMaxBatch: 256,
  mailboxMaxWaiting: 16,
  mailboxMaxExpiresMs: 60_000,
  mailboxMaxBytes: 8 * 1024 * 1024,
  mailboxMaxAckPending: 1000,
  /** Largest plaintext chunk of a file, in bytes (a sealed chunk adds a 16-byte tag). */
  fileChunkBytes: 128 * 1024,
  /** Smallest chunk size a file may declare, in bytes. */
  fileMinChunkBytes: 1024,
  /** Most chunks of one file. */
  fileMaxChunks: 1_048_576,
  /** Largest sealed file metadata, in bytes. */
  fileMetadataBytes: 16 * 1024,
  /** Default largest file (plaintext bytes); `ENMESH_FILE_MAX_BYTES` changes it. */
  fileMaxBytes: 1024 ** 3,
  /** Files one identity may have created and not yet completed. */
  fileUploadsInProgress: 20,
  /** How long an upload may stay incomplete before housekeeping removes it, in milliseconds. */
  fileUploadLifetimeMs: 24 * 3600 * 1000,
} as const;
