package org.vigie.node.exchange;

import com.nimbusds.jose.jwk.OctetKeyPair;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.partner.TrustGroup;
import org.vigie.exchange.partner.TrustGroupKind;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.Locale;

/**
 * The checks shared by the {@code vigie partner|group} commands and the HTTP administration
 * ({@link ExchangeAdministrationRoutes}), so that both accept the same input, say the same thing about bad
 * input, and change the registry the same way (which audits every change in the ledger).
 * {@code where} names the option or JSON property the value came from.
 */
final class PartnerAdministration
{
    private PartnerAdministration() {}

    static URI endpoint(String partnerId, String text, String where)
    {
        try {
            URI uri = new URI(text);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "partner " + partnerId + ": " + where + " '" + text
                        + "' must be an https URL with a host, such as https://partner.example:6543/ (envelopes are pushed over mutual TLS)");
            }
            return uri;
        }
        catch (URISyntaxException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "partner " + partnerId + ": " + where + " '" + text + "' is not a URL: " + e.getMessage(), e);
        }
    }

    /** The partner's Ed25519 JWK; a private part is kept here so that the caller can warn, and dropped by {@code Partner}. */
    static OctetKeyPair signingKey(String partnerId, String text, String where)
    {
        try {
            return OctetKeyPair.parse(text.strip());
        }
        catch (ParseException | RuntimeException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "partner " + partnerId + ": " + where
                    + " is not an Ed25519 JWK such as {\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"...\"}: " + e.getMessage(), e);
        }
    }

    static TrustGroupKind groupKind(String groupId, String text, String where)
    {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "bilateral" -> TrustGroupKind.BILATERAL;
            case "multilateral" -> TrustGroupKind.MULTILATERAL;
            default -> throw new VigieException(ErrorCode.INVALID_ARGUMENT, "trust group " + groupId + ": " + where + " '" + text + "' must be bilateral or multilateral");
        };
    }

    /** Stores a group after checking that every member is registered (named in the error); returns whether it replaced one. */
    static boolean putGroup(PartnerRegistry registry, TrustGroup group)
    {
        for (String member : group.memberPartnerIds()) {
            if (registry.partner(member).isEmpty()) {
                throw new VigieException(ErrorCode.PARTNER_NOT_FOUND, "trust group " + group.id() + ": member '" + member + "' is not a registered partner");
            }
        }
        boolean replaced = registry.group(group.id()).isPresent();
        registry.putGroup(group);
        return replaced;
    }
}
