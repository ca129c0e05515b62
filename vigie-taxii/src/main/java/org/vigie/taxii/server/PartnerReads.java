package org.vigie.taxii.server;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The service-provider interface through which partners read the standard TAXII endpoints under the
 * node's release policy. The TAXII module knows nothing of policies: the exchange module implements
 * this and the node passes it to {@link TaxiiServer#start}.
 *
 * <p>A request is a partner's when the client presents a certificate pinned for a partner (and no
 * {@code Authorization} header), or when the authenticated node user is linked to a partner. Such a
 * request sees, on every read endpoint, only what {@link PartnerView} lets through; every other route
 * refuses it. Requests of other users are not filtered and cost nothing more.
 */
public interface PartnerReads
{
    /** The partner whose pinned client certificate this is, if any. */
    Optional<String> partnerOfCertificate(X509Certificate certificate);

    /** The partner a node user reads as, if the user is linked to one. */
    Optional<String> partnerOfUser(String userName);

    /**
     * A view for one request (or one export) by this partner: it may remember decisions for the
     * request's duration, so a new one is opened per request. An unknown partner sees nothing.
     *
     * @param actor who reads, for the audit record (for example {@code partner:b} or {@code user:alice as partner b})
     */
    PartnerView open(String partnerId, String actor);

    /** No partner reads: every request is a plain user's. */
    static PartnerReads none()
    {
        return NoPartnerReads.INSTANCE;
    }
}
