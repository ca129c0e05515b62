package org.vigie.exchange.service;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

import static java.util.Objects.requireNonNull;

/**
 * Trusts exactly one server certificate: the one whose SHA-256 fingerprint is pinned for the partner.
 * A pin is stronger than a CA chain plus host name (partners are reached by address, and no CA can
 * issue a substitute), so host names are not checked. Extends the extended trust manager so that
 * the JDK does not wrap it with its own host name check.
 */
final class PinnedTrustManager
        extends X509ExtendedTrustManager
{
    private final String partnerId;
    private final String pinnedSha256;

    PinnedTrustManager(String partnerId, String pinnedSha256)
    {
        this.partnerId = requireNonNull(partnerId, "partnerId is null");
        this.pinnedSha256 = requireNonNull(pinnedSha256, "pinnedSha256 is null");
    }

    static String fingerprint(X509Certificate certificate)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        }
        catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
            throws CertificateException
    {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("partner " + partnerId + " presented no certificate");
        }
        chain[0].checkValidity();
        String presented = fingerprint(chain[0]);
        if (!presented.equals(pinnedSha256)) {
            throw new CertificateException("partner " + partnerId + " presented certificate sha256 " + presented + " but " + pinnedSha256 + " is pinned");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException
    {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException
    {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
            throws CertificateException
    {
        throw new CertificateException("this trust manager only checks partner servers");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException
    {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException
    {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers()
    {
        return new X509Certificate[0];
    }
}
