package org.vigie.node.exchange;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HexFormat;

/** Certificate files and fingerprints as partners exchange them (SHA-256 of the DER encoding, lower-case hex). */
final class Certificates
{
    private Certificates() {}

    /** Reads one X.509 certificate from a PEM or DER file; {@code option} names where it came from in errors. */
    static X509Certificate read(Path file, String option)
    {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        }
        catch (NoSuchFileException e) {
            throw new VigieException(ErrorCode.IO_ERROR, option + " " + file + ": no such file");
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, option + " " + file + ": cannot read it: " + e.getMessage(), e);
        }
        return parse(bytes, option + " " + file);
    }

    /** Reads one X.509 certificate in PEM or DER form; {@code where} names where it came from in errors. */
    static X509Certificate parse(byte[] bytes, String where)
    {
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            if (!(certificate instanceof X509Certificate x509)) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, where + " is not an X.509 certificate");
            }
            return x509;
        }
        catch (CertificateException | IOException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, where + " is not an X.509 certificate in PEM or DER form (the partner's TLS certificate, "
                    + "e.g. exported with 'keytool -exportcert -rfc'): " + e.getMessage(), e);
        }
    }

    static String fingerprint(X509Certificate certificate)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        }
        catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "cannot fingerprint certificate " + certificate.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    /** The certificate of the first key entry of a PKCS12 keystore: the one this node presents. */
    static X509Certificate fromKeystore(Path keystore, String password, String key)
    {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate certificate) {
                    return certificate;
                }
            }
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "configuration key " + key + ": keystore " + keystore + " holds no key with a certificate");
        }
        catch (NoSuchFileException e) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "configuration key " + key + ": keystore " + keystore + " does not exist");
        }
        catch (IOException | GeneralSecurityException e) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "configuration key " + key + ": cannot open PKCS12 keystore " + keystore + ": " + e.getMessage(), e);
        }
    }
}
