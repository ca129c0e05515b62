package org.vigie.exchange.service;

/**
 * What this node's inbox has received since it started: requests over mutual TLS and the envelopes in them
 * (several per request when a sender catches up), and how many of those envelopes were stored or rejected.
 * Envelopes of a request after the first one not stored are neither: they were not looked at.
 *
 * @param requests inbox requests from authenticated partners
 * @param envelopes envelopes in those requests
 * @param storedEnvelopes envelopes answered "stored" (the very same envelope sent again counts again)
 * @param rejectedEnvelopes envelopes answered "rejected"
 */
public record InboxStatistics(long requests, long envelopes, long storedEnvelopes, long rejectedEnvelopes)
{
    public InboxStatistics
    {
        if (requests < 0 || envelopes < 0 || storedEnvelopes < 0 || rejectedEnvelopes < 0) {
            throw new IllegalArgumentException("inbox counts cannot be negative");
        }
    }
}
