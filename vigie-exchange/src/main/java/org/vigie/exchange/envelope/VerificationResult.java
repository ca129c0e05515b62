package org.vigie.exchange.envelope;

import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/** The outcome of verifying one received envelope. */
public sealed interface VerificationResult
        permits VerificationResult.Accepted, VerificationResult.Rejected
{
    boolean accepted();

    /** The envelope verified; store it, then {@link EnvelopeVerifier#commit} it. */
    record Accepted(Envelope envelope)
            implements VerificationResult
    {
        public Accepted
        {
            requireNonNull(envelope, "envelope is null");
        }

        @Override
        public boolean accepted()
        {
            return true;
        }
    }

    /**
     * The envelope must not be stored.
     *
     * @param envelopeId and {@code senderIdentityId} as far as they could be read (unverified when
     * the reason is about the signature or sender)
     * @param expectedSequence for OUT_OF_ORDER and REPLAYED, the sequence this node expects next
     */
    record Rejected(RejectionReason reason, String detail, Optional<String> envelopeId, Optional<String> senderIdentityId, OptionalLong expectedSequence)
            implements VerificationResult
    {
        public Rejected
        {
            requireNonNull(reason, "reason is null");
            requireNonNull(detail, "detail is null");
            requireNonNull(envelopeId, "envelopeId is null");
            requireNonNull(senderIdentityId, "senderIdentityId is null");
            requireNonNull(expectedSequence, "expectedSequence is null");
        }

        @Override
        public boolean accepted()
        {
            return false;
        }
    }
}
