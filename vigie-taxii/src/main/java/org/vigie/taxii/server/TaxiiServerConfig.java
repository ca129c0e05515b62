package org.vigie.taxii.server;

import org.vigie.config.ConfigurationValues;
import org.vigie.error.VigieException;

import javax.security.auth.x500.X500Principal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Configuration of the HTTP server and its TAXII API root. Keys (all optional):
 * <ul>
 * <li>{@code http.bind} (default {@code 127.0.0.1}: loopback unless told otherwise), {@code http.port}
 * (default 6543; 0 picks a free port)</li>
 * <li>{@code http.tls.keystore}, {@code http.tls.keystore-password}: PKCS12 keystore with the server key;
 * when set, the server speaks only HTTPS</li>
 * <li>{@code http.tls.truststore}, {@code http.tls.truststore-password}: trusted client certificate issuers</li>
 * <li>{@code http.tls.client-auth}: {@code none} (default), {@code want} or {@code need} (mutual TLS)</li>
 * <li>{@code http.tls.subject-users.<user-name>} = a certificate subject distinguished name, such as
 * {@code http.tls.subject-users.alice=CN=alice,O=Example}: a client presenting a certificate with
 * that subject is authenticated as that user (the user name is in the key so that the DN, which
 * contains commas and equals signs, needs no escaping)</li>
 * <li>{@code http.auth.cache-seconds} (default 60): how long a verified credential is trusted without
 * re-hashing it; a changed password or right takes effect within this time</li>
 * <li>{@code taxii.title}, {@code taxii.description}, {@code taxii.api-root} (default {@code vigie})</li>
 * <li>{@code taxii.max-content-length} in bytes (default 100 MiB), {@code taxii.page-size-default}
 * (default 100), {@code taxii.page-size-max} (default 1000)</li>
 * </ul>
 */
public record TaxiiServerConfig(
        String bind,
        int port,
        Optional<Tls> tls,
        Duration authenticationCacheTime,
        String title,
        Optional<String> description,
        String apiRoot,
        long maxContentLength,
        int pageSizeDefault,
        int pageSizeMax)
{
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 6543;
    public static final String DEFAULT_TITLE = "Vigie TAXII server";
    public static final String DEFAULT_API_ROOT = "vigie";
    public static final long DEFAULT_MAX_CONTENT_LENGTH = 100L * 1024 * 1024;
    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int DEFAULT_PAGE_SIZE_MAX = 1000;
    public static final Duration DEFAULT_AUTHENTICATION_CACHE_TIME = Duration.ofSeconds(60);

    private static final String SUBJECT_USERS_PREFIX = "http.tls.subject-users.";
    private static final Set<String> KEYS = Set.of(
            "http.bind", "http.port", "http.tls.keystore", "http.tls.keystore-password", "http.tls.truststore",
            "http.tls.truststore-password", "http.tls.client-auth", "http.auth.cache-seconds", "taxii.title",
            "taxii.description", "taxii.api-root", "taxii.max-content-length", "taxii.page-size-default", "taxii.page-size-max");
    // An API root is one URL path segment.
    private static final Pattern API_ROOT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public enum ClientAuthentication
    {
        NONE,
        WANT,
        NEED
    }

    /**
     * TLS settings. {@code subjectUsers} maps a canonical subject DN ({@link X500Principal#CANONICAL}) to a
     * user name; it is sorted so that its serialised form is deterministic.
     */
    public record Tls(
            Path keystore,
            String keystorePassword,
            Optional<Path> truststore,
            Optional<String> truststorePassword,
            ClientAuthentication clientAuthentication,
            Map<String, String> subjectUsers)
    {
        public Tls
        {
            requireNonNull(keystore, "keystore is null");
            requireNonNull(keystorePassword, "keystorePassword is null");
            requireNonNull(truststore, "truststore is null");
            requireNonNull(truststorePassword, "truststorePassword is null");
            requireNonNull(clientAuthentication, "clientAuthentication is null");
            subjectUsers = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(subjectUsers, "subjectUsers is null")));
        }

        /** The user a certificate subject is mapped to, comparing distinguished names canonically. */
        public Optional<String> userForSubject(X500Principal subject)
        {
            return Optional.ofNullable(subjectUsers.get(subject.getName(X500Principal.CANONICAL)));
        }

        @Override
        public String toString()
        {
            // Never print passwords.
            return "Tls[keystore=" + keystore + ", truststore=" + truststore + ", clientAuthentication=" + clientAuthentication + ", subjectUsers=" + subjectUsers + "]";
        }
    }

    public TaxiiServerConfig
    {
        requireNonNull(bind, "bind is null");
        requireNonNull(tls, "tls is null");
        requireNonNull(authenticationCacheTime, "authenticationCacheTime is null");
        requireNonNull(title, "title is null");
        requireNonNull(description, "description is null");
        requireNonNull(apiRoot, "apiRoot is null");
        if (port < 0 || port > 65535) {
            throw invalid("http.port", String.valueOf(port), "must be between 0 and 65535");
        }
        if (!API_ROOT.matcher(apiRoot).matches()) {
            throw invalid("taxii.api-root", apiRoot, "must be one URL path segment of letters, digits, '.', '_' or '-'");
        }
        if (maxContentLength < 1) {
            throw invalid("taxii.max-content-length", String.valueOf(maxContentLength), "must be at least 1 byte");
        }
        if (pageSizeMax < 1) {
            throw invalid("taxii.page-size-max", String.valueOf(pageSizeMax), "must be at least 1");
        }
        if (pageSizeDefault < 1 || pageSizeDefault > pageSizeMax) {
            throw invalid("taxii.page-size-default", String.valueOf(pageSizeDefault), "must be between 1 and taxii.page-size-max (" + pageSizeMax + ")");
        }
        if (authenticationCacheTime.isNegative()) {
            throw invalid("http.auth.cache-seconds", authenticationCacheTime.toSeconds() + "", "must not be negative");
        }
    }

    /** The defaults: plain HTTP on 127.0.0.1:6543, API root {@code vigie}. */
    public static TaxiiServerConfig defaults()
    {
        return fromProperties(Map.of());
    }

    /** The same configuration on another port (0 for any free port), as tests and the node's tools need. */
    public TaxiiServerConfig withPort(int newPort)
    {
        return new TaxiiServerConfig(bind, newPort, tls, authenticationCacheTime, title, description, apiRoot, maxContentLength, pageSizeDefault, pageSizeMax);
    }

    public TaxiiServerConfig withTls(Tls newTls)
    {
        return new TaxiiServerConfig(bind, port, Optional.of(newTls), authenticationCacheTime, title, description, apiRoot, maxContentLength, pageSizeDefault, pageSizeMax);
    }

    public TaxiiServerConfig withMaxContentLength(long newMaxContentLength)
    {
        return new TaxiiServerConfig(bind, port, tls, authenticationCacheTime, title, description, apiRoot, newMaxContentLength, pageSizeDefault, pageSizeMax);
    }

    /**
     * Reads and validates the configuration; every error names the key at fault. Unknown keys under
     * {@code http.} and {@code taxii.} are rejected, so that a typo does not silently fall back to a default.
     */
    public static TaxiiServerConfig fromProperties(Map<String, String> properties)
    {
        ConfigurationValues values = ConfigurationValues.of(properties);
        requireNonNull(properties, "properties is null");
        Map<String, String> subjectUsers = new TreeMap<>();
        for (String key : new TreeSet<>(properties.keySet())) {
            String value = properties.get(key);
            if (key.startsWith(SUBJECT_USERS_PREFIX)) {
                String user = key.substring(SUBJECT_USERS_PREFIX.length());
                if (user.isBlank()) {
                    throw invalid(key, value, "the key must end with a user name");
                }
                String canonical;
                try {
                    canonical = new X500Principal(value).getName(X500Principal.CANONICAL);
                }
                catch (IllegalArgumentException e) {
                    throw invalid(key, value, "is not a distinguished name: " + e.getMessage());
                }
                String previous = subjectUsers.put(canonical, user);
                if (previous != null) {
                    throw invalid(key, value, "this subject is already mapped to user '" + previous + "'");
                }
            }
            else if ((key.startsWith("http.") || key.startsWith("taxii.")) && !KEYS.contains(key)) {
                throw ConfigurationValues.invalid(key, "unknown key; the http.* and taxii.* keys are " + new TreeSet<>(KEYS) + " and " + SUBJECT_USERS_PREFIX + "<user-name>");
            }
        }

        Optional<Tls> tls = Optional.empty();
        Optional<String> keystore = values.text("http.tls.keystore");
        ClientAuthentication clientAuthentication = clientAuthentication(values);
        if (keystore.isPresent()) {
            String keystorePassword = values.text("http.tls.keystore-password")
                    .orElseThrow(() -> invalid("http.tls.keystore-password", null, "is required when http.tls.keystore is set"));
            Optional<Path> truststore = values.text("http.tls.truststore").map(Path::of);
            if (clientAuthentication != ClientAuthentication.NONE && truststore.isEmpty()) {
                throw invalid("http.tls.truststore", null, "is required when http.tls.client-auth is " + clientAuthentication.name().toLowerCase());
            }
            Optional<String> truststorePassword = values.text("http.tls.truststore-password");
            if (truststore.isPresent() && truststorePassword.isEmpty()) {
                throw invalid("http.tls.truststore-password", null, "is required when http.tls.truststore is set");
            }
            tls = Optional.of(new Tls(Path.of(keystore.get()), keystorePassword, truststore, truststorePassword, clientAuthentication, subjectUsers));
        }
        else {
            for (String key : new String[] {"http.tls.keystore-password", "http.tls.truststore", "http.tls.truststore-password", "http.tls.client-auth"}) {
                if (properties.containsKey(key)) {
                    throw invalid(key, properties.get(key), "has no effect without http.tls.keystore");
                }
            }
            if (!subjectUsers.isEmpty()) {
                throw invalid(SUBJECT_USERS_PREFIX + subjectUsers.values().iterator().next(), null, "has no effect without http.tls.keystore");
            }
        }

        int pageSizeMax = wholeNumber(values, "taxii.page-size-max", DEFAULT_PAGE_SIZE_MAX);
        return new TaxiiServerConfig(
                values.text("http.bind").orElse(DEFAULT_BIND),
                wholeNumber(values, "http.port", DEFAULT_PORT),
                tls,
                Duration.ofSeconds(wholeNumber(values, "http.auth.cache-seconds", (int) DEFAULT_AUTHENTICATION_CACHE_TIME.toSeconds())),
                values.text("taxii.title").orElse(DEFAULT_TITLE),
                values.text("taxii.description"),
                values.text("taxii.api-root").orElse(DEFAULT_API_ROOT),
                values.wholeNumber("taxii.max-content-length", DEFAULT_MAX_CONTENT_LENGTH, Long.MIN_VALUE, Long.MAX_VALUE),
                wholeNumber(values, "taxii.page-size-default", Math.min(DEFAULT_PAGE_SIZE, pageSizeMax)),
                pageSizeMax);
    }

    private static ClientAuthentication clientAuthentication(ConfigurationValues values)
    {
        Optional<String> value = values.text("http.tls.client-auth");
        if (value.isEmpty()) {
            return ClientAuthentication.NONE;
        }
        return switch (value.get()) {
            case "none" -> ClientAuthentication.NONE;
            case "want" -> ClientAuthentication.WANT;
            case "need" -> ClientAuthentication.NEED;
            default -> throw invalid("http.tls.client-auth", value.get(), "must be one of none, want, need");
        };
    }

    /** Any int: the constructor checks each key's own range and says which. */
    private static int wholeNumber(ConfigurationValues values, String key, int defaultValue)
    {
        return values.wholeNumber(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private static VigieException invalid(String key, String value, String why)
    {
        return ConfigurationValues.invalid(key, value, why);
    }
}
