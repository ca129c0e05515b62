package org.vigie.exchange.envelope;

import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;

import java.util.Optional;

/**
 * Checks a received signed envelope before anything is stored, in this order: compact JWS syntax,
 * algorithm EdDSA, envelope JSON, sender is a registered partner (and the transport peer, when
 * known), signature against that partner's pinned key, payload is canonical JSON, this node is the
 * recipient, and the sequence is exactly the next for the (sender, recipient) pair.
 *
 * <p>Out-of-order envelopes are rejected, not buffered: the sender's outbox delivers in order and,
 * told the expected sequence, resends from there. The receiver thus keeps one counter per pair and
 * never holds unverified data.
 *
 * <p>Verification does not advance the sequence; call {@link #commit} once the envelope is stored,
 * so that a failed store lets the sender's retry through instead of flagging it as a replay.
 */
public interface EnvelopeVerifier
{
    VerificationResult verify(String compactJws);

    /** As {@link #verify(String)}, also requiring the sender to be the partner the connection authenticated. */
    VerificationResult verify(String compactJws, Optional<Partner> transportPeer);

    /**
     * Every check of {@link #verify(String, Optional)} but the sequence: reads no sequence, so a receiver may run
     * it for several requests at once and then take the envelopes' sequences in turn with {@link #checkSequence}.
     */
    VerificationResult verifyContent(String compactJws, Optional<Partner> transportPeer);

    /** The sequence check of an envelope that passed {@link #verifyContent}: accepted, REPLAYED or OUT_OF_ORDER. */
    VerificationResult checkSequence(Envelope envelope);

    /** Marks a verified envelope as accepted; false if its sequence is no longer the next one (a concurrent duplicate). */
    boolean commit(Envelope envelope);

    static EnvelopeVerifier create(PartnerRegistry registry, String localIdentityId, SequenceTracker sequences)
    {
        return new Ed25519EnvelopeVerifier(registry, localIdentityId, sequences);
    }
}
