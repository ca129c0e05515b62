package org.vigie.exchange.partner;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Another service's node this node exchanges with.
 *
 * @param id local, stable partner id (letters, digits, '.', '_' or '-')
 * @param identityId the STIX identity of the partner's organisation; named recipients and envelope
 * senders and recipients are matched on it
 * @param endpoint the partner's TAXII API root
 * @param certificateSha256 pinned SHA-256 fingerprint of the partner's TLS certificate, lower-case hex
 * @param signingKey the partner's Ed25519 public key; envelopes from it must verify against this key
 */
public record Partner(String id, String name, String identityId, URI endpoint, String certificateSha256, OctetKeyPair signingKey)
{
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");

    public Partner
    {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(identityId, "identityId is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(certificateSha256, "certificateSha256 is null");
        requireNonNull(signingKey, "signingKey is null");
        if (!ID.matcher(id).matches()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "partner id '" + id + "' must be 1 to 128 letters, digits, '.', '_' or '-'");
        }
        if (!identityId.startsWith("identity--")) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "partner " + id + ": identityId '" + identityId + "' is not a STIX identity id");
        }
        // Accept the common colon-separated upper-case form too, but store one canonical form.
        certificateSha256 = certificateSha256.replace(":", "").toLowerCase(Locale.ROOT);
        if (!FINGERPRINT.matcher(certificateSha256).matches()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "partner " + id + ": certificate fingerprint must be 64 hex digits (SHA-256)");
        }
        if (!Curve.Ed25519.equals(signingKey.getCurve())) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "partner " + id + ": signing key must be an Ed25519 key, not " + signingKey.getCurve());
        }
        // Never keep a partner's private key, even if one was handed over by mistake.
        signingKey = signingKey.toPublicJWK();
    }
}
