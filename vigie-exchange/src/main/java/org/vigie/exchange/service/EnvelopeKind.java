package org.vigie.exchange.service;

/** What an outbox envelope carries. */
public enum EnvelopeKind
{
    /** Released objects. */
    RELEASE,
    /** A recall of objects released earlier; its receipt is the partner's acknowledgement. */
    RECALL
}
