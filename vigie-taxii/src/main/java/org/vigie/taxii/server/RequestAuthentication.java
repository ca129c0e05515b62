package org.vigie.taxii.server;

import io.javalin.http.Context;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.taxii.auth.AuthenticatedUser;
import org.vigie.taxii.auth.Authenticator;

import java.security.cert.X509Certificate;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Authenticates a request once (the principal is kept on the request): a partner's pinned certificate
 * without an {@code Authorization} header makes a partner principal; otherwise the {@link Authenticator}
 * decides, and a user linked to a partner reads as that partner.
 */
final class RequestAuthentication
{
    private static final String USER_ATTRIBUTE = "vigie.user";
    private static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private final Authenticator authenticator;
    private final PartnerReads partnerReads;

    RequestAuthentication(Authenticator authenticator, PartnerReads partnerReads)
    {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.partnerReads = requireNonNull(partnerReads, "partnerReads is null");
    }

    AuthenticatedUser authenticate(Context context)
    {
        AuthenticatedUser cached = context.attribute(USER_ATTRIBUTE);
        if (cached != null) {
            return cached;
        }
        Object certificates = context.req().getAttribute(CERTIFICATE_ATTRIBUTE);
        Optional<X509Certificate> certificate = certificates instanceof X509Certificate[] chain && chain.length > 0
                ? Optional.of(chain[0])
                : Optional.empty();
        Optional<String> authorization = Optional.ofNullable(context.header("Authorization"));
        AuthenticatedUser user = null;
        if (authorization.isEmpty() && certificate.isPresent()) {
            // A partner's pinned certificate identifies the partner, never a node user.
            user = partnerReads.partnerOfCertificate(certificate.get()).map(AuthenticatedUser::partner).orElse(null);
        }
        if (user == null) {
            user = authenticator.authenticate(authorization, certificate);
            Optional<String> partner = partnerReads.partnerOfUser(user.name());
            if (partner.isPresent()) {
                user = user.asPartner(partner.get());
            }
        }
        context.attribute(USER_ATTRIBUTE, user);
        return user;
    }

    /** For every route but the TAXII ones: partners may only read through TAXII, where the policy filters. */
    AuthenticatedUser authenticateNodeUser(Context context)
    {
        AuthenticatedUser user = authenticate(context);
        if (user.partnerId().isPresent()) {
            throw new VigieException(ErrorCode.ACCESS_DENIED, "'" + user.name() + "' reads as partner " + user.partnerId().get() + " and may only use the TAXII endpoints");
        }
        return user;
    }
}
