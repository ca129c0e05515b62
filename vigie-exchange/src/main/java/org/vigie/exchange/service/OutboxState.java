package org.vigie.exchange.service;

/**
 * Where one outbox envelope stands with its partner. Only STORED is final: every other state is
 * retried with backoff, because the partner's sequence does not advance until it stores, and a
 * later envelope can never be accepted before this one.
 */
public enum OutboxState
{
    /** Not yet answered by the partner (never tried, or the connection failed). */
    PENDING,
    /** The partner answered, but without a readable receipt. */
    DELIVERED,
    /** The partner verified the envelope but could not store it yet. */
    VERIFIED,
    /** The partner stored (or, for a recall, applied) the envelope and acknowledged it. */
    STORED,
    /** The partner rejected the envelope (see the last error); retried, since the cause is usually configuration. */
    REJECTED
}
