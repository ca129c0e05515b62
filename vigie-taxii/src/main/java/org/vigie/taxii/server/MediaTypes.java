package org.vigie.taxii.server;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.util.Locale;

/** TAXII media types and the negotiation of Accept and Content-Type (TAXII 2.1 section 1.6.8). */
final class MediaTypes
{
    static final String TAXII_21 = "application/taxii+json;version=2.1";
    static final String STIX_21 = "application/stix+json;version=2.1";

    private MediaTypes() {}

    /**
     * Fails with NOT_ACCEPTABLE (406) unless the Accept header admits the TAXII 2.1 media type. A missing
     * header accepts anything (RFC 9110); {@code application/taxii+json} without a version means the latest,
     * which is 2.1.
     */
    static void checkAcceptable(String accept)
    {
        if (accept == null || accept.isBlank()) {
            return;
        }
        for (String range : accept.split(",")) {
            if (admitsTaxii(range)) {
                return;
            }
        }
        throw new VigieException(ErrorCode.NOT_ACCEPTABLE, "Accept '" + accept + "' does not admit " + TAXII_21 + ", the only media type this server produces");
    }

    /** Fails with UNSUPPORTED_MEDIA_TYPE (415) unless the Content-Type is the TAXII 2.1 media type. */
    static void checkContentType(String contentType)
    {
        if (contentType == null || !isTaxii(contentType, false)) {
            throw new VigieException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + contentType + "' is not supported: objects must be sent as " + TAXII_21);
        }
    }

    private static boolean admitsTaxii(String range)
    {
        String[] parts = range.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        for (int index = 1; index < parts.length; index++) {
            String[] parameter = parts[index].strip().split("=", 2);
            if (parameter.length == 2 && parameter[0].strip().equalsIgnoreCase("q") && isZero(parameter[1].strip())) {
                return false;
            }
        }
        if (type.equals("*/*") || type.equals("application/*")) {
            return true;
        }
        return isTaxii(range, true);
    }

    // "application/taxii+json" with version 2.1, or (when allowed) no version at all; other parameters are ignored.
    private static boolean isTaxii(String mediaType, boolean versionOptional)
    {
        String[] parts = mediaType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/taxii+json")) {
            return false;
        }
        String version = null;
        for (int index = 1; index < parts.length; index++) {
            String[] parameter = parts[index].strip().split("=", 2);
            if (parameter.length == 2 && parameter[0].strip().equalsIgnoreCase("version")) {
                version = unquote(parameter[1].strip());
            }
        }
        return version == null ? versionOptional : version.equals("2.1");
    }

    private static String unquote(String value)
    {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static boolean isZero(String quality)
    {
        try {
            return Double.parseDouble(quality) == 0;
        }
        catch (NumberFormatException e) {
            return false;
        }
    }
}
