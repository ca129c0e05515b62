/**
 * Signed envelopes: a bundle plus metadata, signed with the sender's Ed25519 key as a compact JWS
 * over RFC 8785 canonical JSON. Entry points: {@link org.vigie.exchange.envelope.Envelope},
 * {@link org.vigie.exchange.envelope.EnvelopeSigner}, {@link org.vigie.exchange.envelope.EnvelopeVerifier},
 * {@link org.vigie.exchange.envelope.SequenceTracker} ({@code inMemory()}, {@code jdbc(database)}), and
 * {@link org.vigie.exchange.envelope.CompactJws}, the serialisation also used for signed receipts.
 */
package org.vigie.exchange.envelope;
