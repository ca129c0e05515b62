package org.vigie.exchange.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import org.vigie.exchange.partner.Partner;

import java.net.URI;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

/** Builds partners with real Ed25519 keys for tests. */
public final class TestPartners
{
    private TestPartners() {}

    public static OctetKeyPair newKey(String keyId)
    {
        try {
            return new OctetKeyPairGenerator(Curve.Ed25519).keyID(keyId).generate();
        }
        catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an Ed25519 key", e);
        }
    }

    /** A partner with a deterministic identity id derived from its partner id, and the given key. */
    public static Partner partner(String id, OctetKeyPair key)
    {
        return new Partner(id, "Partner " + id, identityOf(id), URI.create("https://" + id + ".example/taxii2/"), fingerprint(id), key.toPublicJWK());
    }

    public static String identityOf(String partnerId)
    {
        return "identity--" + UUID.nameUUIDFromBytes(partnerId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String fingerprint(String id)
    {
        byte[] bytes = new byte[32];
        new Random(id.hashCode()).nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
