package org.vigie.node.exchange;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
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
 * default 1000) and {@code exchange.partner-users} (node users who read TAXII as a partner:
 * {@code user:partner-id} pairs, comma-separated; default none). When {@code exchange.tls.keystore} is not set, the node's {@code http.tls.keystore}
 * (and its password) is used to push, since it normally is the same key.
 */
record ExchangeSettings(ExchangeConfig config, Duration deliveryInterval, SortedMap<String, String> partnerUsers)
{
    static final String DELIVERY_INTERVAL = "exchange.delivery.interval-milliseconds";
    static final String PARTNER_USERS = "exchange.partner-users";
    private static final Pattern PARTNER_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    static final long DEFAULT_DELIVERY_INTERVAL_MILLISECONDS = 1_000;
    static final String HTTP_KEYSTORE = "http.tls.keystore";
    static final String HTTP_KEYSTORE_PASSWORD = "http.tls.keystore-password";

    ExchangeSettings
    {
        requireNonNull(config, "config is null");
        requireNonNull(deliveryInterval, "deliveryInterval is null");
        partnerUsers = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(partnerUsers, "partnerUsers is null")));
    }

    /** Reads the exchange keys among all the node's properties; other keys are ignored. */
    static ExchangeSettings fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        SortedMap<String, String> exchange = exchangeKeys(properties);
        String intervalText = exchange.remove(DELIVERY_INTERVAL);
        Duration interval = Duration.ofMillis(DEFAULT_DELIVERY_INTERVAL_MILLISECONDS);
        if (intervalText != null) {
            try {
                long value = Long.parseLong(intervalText.strip());
                if (value < 10 || value > 3_600_000) {
                    throw invalid(DELIVERY_INTERVAL, value + " is outside 10..3600000");
                }
                interval = Duration.ofMillis(value);
            }
            catch (NumberFormatException e) {
                throw invalid(DELIVERY_INTERVAL, "'" + intervalText + "' is not a whole number");
            }
        }
        if (!exchange.containsKey(ExchangeConfig.KEYSTORE) && !exchange.containsKey(ExchangeConfig.KEYSTORE_PASSWORD) && properties.containsKey(HTTP_KEYSTORE)) {
            exchange.put(ExchangeConfig.KEYSTORE, properties.get(HTTP_KEYSTORE));
            Optional.ofNullable(properties.get(HTTP_KEYSTORE_PASSWORD)).ifPresent(password -> exchange.put(ExchangeConfig.KEYSTORE_PASSWORD, password));
        }
        SortedMap<String, String> partnerUsers = partnerUsers(exchange.remove(PARTNER_USERS));
        return new ExchangeSettings(ExchangeConfig.fromProperties(exchange), interval, partnerUsers);
    }

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
                throw invalid(PARTNER_USERS, "'" + entry + "' is not of the form user:partner-id");
            }
            String user = entry.substring(0, colon).strip();
            String partner = entry.substring(colon + 1).strip();
            if (!PARTNER_ID.matcher(partner).matches()) {
                throw invalid(PARTNER_USERS, "'" + partner + "' in '" + entry + "' is not a partner id (1 to 128 letters, digits, '.', '_' or '-')");
            }
            if (links.put(user, partner) != null) {
                throw invalid(PARTNER_USERS, "user '" + user + "' is linked twice");
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

    private static VigieException invalid(String key, String why)
    {
        return new VigieException(ErrorCode.INVALID_CONFIGURATION, "configuration key " + key + ": " + why);
    }
}
