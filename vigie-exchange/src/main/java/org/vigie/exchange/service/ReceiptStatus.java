package org.vigie.exchange.service;

/** What a receiving node says about one envelope. */
public enum ReceiptStatus
{
    /** Verified and stored (or, for a recall, applied); final. */
    STORED,
    /** Verified, but storing failed; the sender retries. */
    VERIFIED,
    /** Rejected before anything was stored; the reason says why. */
    REJECTED
}
