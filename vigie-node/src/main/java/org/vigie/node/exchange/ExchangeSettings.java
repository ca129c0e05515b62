package org.vigie.node.exchange;

import org.vigie.config.ConfigurationValues;
import org.vigie.exchange.service.ExchangeConfig;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The node's exchange settings: the {@code exchange.*} keys of {@link ExchangeConfig} plus
 * {@code exchange.delivery.interval-milliseconds} (how often the delivery scheduler runs a round;
 * default 1000), {@code exchange.delivery.lease-milliseconds} (how long a replica keeps a partner's outbox
 * after its last renewal; a dead replica's partners wait that long; default 60000; it must outlast one push,
 * connect plus request timeout, or a slow push could be repeated by another replica),
 * {@code exchange.replica-name} (the lease owner's name; default host, process id and a random suffix,
 * unique per process) and {@code exchange.partner-users} (node users who read TAXII as a partner:
 * {@code user:partner-id} pairs, comma-separated; default none) and {@code exchange.sightings-back.enabled}
 * ({@code true} or {@code false}, default true: sightings of indicators received from a partner are sent back to
 * it, which the release policy must still allow, so that enabling it releases nothing the policy does not). When {@code exchange.tls.keystore} is not
 * set, the node's {@code http.tls.keystore} (and its password) is used to push, since it normally is the same key.
 */
record ExchangeSettings(ExchangeConfig config, Duration deliveryInterval, Duration leaseDuration, String replicaName, SortedMap<String, String> partnerUsers,
        boolean sightingsBackEnabled)
{
    static final String DELIVERY_INTERVAL = "exchange.delivery.interval-milliseconds";
    static final String PARTNER_USERS = "exchange.partner-users";
    private static final Pattern PARTNER_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    static final long DEFAULT_DELIVERY_INTERVAL_MILLISECONDS = 1_000;
    static final String LEASE_DURATION = "exchange.delivery.lease-milliseconds";
    static final long DEFAULT_LEASE_MILLISECONDS = 60_000;
    static final String REPLICA_NAME = "exchange.replica-name";
    static final String SIGHTINGS_BACK_ENABLED = "exchange.sightings-back.enabled";
    static final String HTTP_KEYSTORE = "http.tls.keystore";
    static final String HTTP_KEYSTORE_PASSWORD = "http.tls.keystore-password";

    ExchangeSettings
    {
        requireNonNull(config, "config is null");
        requireNonNull(deliveryInterval, "deliveryInterval is null");
        requireNonNull(leaseDuration, "leaseDuration is null");
        requireNonNull(replicaName, "replicaName is null");
        partnerUsers = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(partnerUsers, "partnerUsers is null")));
    }

    /** Reads the exchange keys among all the node's properties; other keys are ignored. */
    static ExchangeSettings fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        SortedMap<String, String> exchange = exchangeKeys(properties);
        Duration interval = milliseconds(exchange, DELIVERY_INTERVAL, DEFAULT_DELIVERY_INTERVAL_MILLISECONDS, 10);
        Duration lease = milliseconds(exchange, LEASE_DURATION, DEFAULT_LEASE_MILLISECONDS, 500);
        String replicaName = Optional.ofNullable(exchange.remove(REPLICA_NAME)).map(String::strip).orElseGet(ExchangeSettings::defaultReplicaName);
        if (replicaName.isEmpty() || replicaName.length() > 200) {
            throw ConfigurationValues.invalid(REPLICA_NAME, replicaName, "must have 1 to 200 characters");
        }
        if (!exchange.containsKey(ExchangeConfig.KEYSTORE) && !exchange.containsKey(ExchangeConfig.KEYSTORE_PASSWORD) && properties.containsKey(HTTP_KEYSTORE)) {
            exchange.put(ExchangeConfig.KEYSTORE, properties.get(HTTP_KEYSTORE));
            Optional.ofNullable(properties.get(HTTP_KEYSTORE_PASSWORD)).ifPresent(password -> exchange.put(ExchangeConfig.KEYSTORE_PASSWORD, password));
        }
        // Removed before ExchangeConfig reads the rest, since it rejects keys it does not know.
        SortedMap<String, String> partnerUsers = partnerUsers(exchange.remove(PARTNER_USERS));
        boolean sightingsBack = ConfigurationValues.of(exchange).bool(SIGHTINGS_BACK_ENABLED, true);
        exchange.remove(SIGHTINGS_BACK_ENABLED);
        ExchangeConfig config = ExchangeConfig.fromProperties(exchange);
        Duration push = config.connectTimeout().plus(config.requestTimeout());
        if (lease.compareTo(push) <= 0) {
            throw ConfigurationValues.invalid(LEASE_DURATION, Long.toString(lease.toMillis()), "must exceed the longest push, " + ExchangeConfig.CONNECT_TIMEOUT + " plus " + ExchangeConfig.REQUEST_TIMEOUT
                    + " (" + push.toMillis() + "), or another replica could repeat a slow push");
        }
        return new ExchangeSettings(config, interval, lease, replicaName, partnerUsers, sightingsBack);
    }

    private static Duration milliseconds(SortedMap<String, String> exchange, String key, long defaultValue, long minimum)
    {
        long value = ConfigurationValues.of(exchange).wholeNumber(key, defaultValue, minimum, 3_600_000L);
        // Removed so that ExchangeConfig, which reads the rest, does not reject it as unknown.
        exchange.remove(key);
        return Duration.ofMillis(value);
    }

    /** Host, process id and a random suffix: unique per process, readable in the lease table. */
    private static String defaultReplicaName()
    {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        }
        catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** The {@code user:partner-id} links of {@value #PARTNER_USERS}, by user. */
    private static SortedMap<String, String> partnerUsers(String text)
    {
        SortedMap<String, String> links = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return links;
        }
        for (String pair : text.split(",")) {
            String entry = pair.strip();
            int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw ConfigurationValues.invalid(PARTNER_USERS, text, "'" + entry + "' is not of the form user:partner-id");
            }
            String user = entry.substring(0, colon).strip();
            String partner = entry.substring(colon + 1).strip();
            if (!PARTNER_ID.matcher(partner).matches()) {
                throw ConfigurationValues.invalid(PARTNER_USERS, text, "'" + partner + "' in '" + entry + "' is not a partner id (1 to 128 letters, digits, '.', '_' or '-')");
            }
            if (links.put(user, partner) != null) {
                throw ConfigurationValues.invalid(PARTNER_USERS, text, "user '" + user + "' is linked twice");
            }
        }
        return links;
    }

    /** The {@code exchange.*} keys, sorted. */
    static SortedMap<String, String> exchangeKeys(Map<String, String> properties)
    {
        SortedMap<String, String> exchange = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith("exchange.")) {
                exchange.put(key, value);
            }
        });
        return exchange;
    }

    /** Every key but the {@code exchange.*} ones, for configuration classes that do not know them. */
    static SortedMap<String, String> withoutExchangeKeys(Map<String, String> properties)
    {
        SortedMap<String, String> others = new TreeMap<>(properties);
        others.keySet().removeIf(key -> key.startsWith("exchange."));
        return others;
    }
}
