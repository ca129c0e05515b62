package org.vigie.taxii.server;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.security.cert.X509Certificate;
import java.util.Optional;

final class NoPartnerReads
        implements PartnerReads
{
    static final NoPartnerReads INSTANCE = new NoPartnerReads();

    private NoPartnerReads() {}

    @Override
    public Optional<String> partnerOfCertificate(X509Certificate certificate)
    {
        return Optional.empty();
    }

    @Override
    public Optional<String> partnerOfUser(String userName)
    {
        return Optional.empty();
    }

    @Override
    public PartnerView open(String partnerId, String actor)
    {
        // Unreachable: without partner reads no request is a partner's.
        throw new VigieException(ErrorCode.INTERNAL_ERROR, "partner " + partnerId + " cannot read: this server has no partner reads");
    }
}
