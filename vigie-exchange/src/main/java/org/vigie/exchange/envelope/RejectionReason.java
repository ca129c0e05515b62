package org.vigie.exchange.envelope;

/** Why a received envelope was rejected; it is then audited, reported back and never stored. */
public enum RejectionReason
{
    /** Not a compact JWS, payload not JSON, not canonical JSON, or not a valid envelope. */
    MALFORMED,
    /** The JWS algorithm is not EdDSA (this also rejects {@code none}). */
    UNSUPPORTED_ALGORITHM,
    /** The sender identity is not a registered partner. */
    UNKNOWN_SENDER,
    /** The envelope arrived over a connection authenticated as a different partner than its sender. */
    SENDER_MISMATCH,
    /** The signature does not verify against the sender's pinned key (tampered, or signed with another key). */
    BAD_SIGNATURE,
    /** This node is not the envelope's recipient. */
    WRONG_RECIPIENT,
    /** The sequence number was already accepted from this sender: a replay. */
    REPLAYED,
    /** The sequence number skips ahead: an earlier envelope is missing; the sender must resend from the expected one. */
    OUT_OF_ORDER
}
