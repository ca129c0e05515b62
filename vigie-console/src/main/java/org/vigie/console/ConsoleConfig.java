package org.vigie.console;

import org.vigie.config.ConfigurationValues;
import org.vigie.stix.markings.TlpMarkings;
import org.vigie.taxii.auth.AuthenticatedUser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The console's typed configuration ({@code console.*} keys), validated at start:
 * <ul>
 * <li>{@code console.clearance.default.tlp}: the TLP level users are cleared for unless configured
 * otherwise (clear, green, amber, amber+strict, red); default {@code amber+strict}, so that TLP:RED goes
 * only to users cleared by name</li>
 * <li>{@code console.clearance.default.handling}: {@code all} (default), {@code none}, or a comma-separated list
 * of handling codes (H0, H1, H2, H3)</li>
 * <li>{@code console.clearance.user.<name>.tlp} and {@code console.clearance.user.<name>.handling}: the same,
 * for one user</li>
 * <li>{@code console.feed.ledger-poll-milliseconds}: how often the live feed's reader of the exchange's ledger looks
 * for entries that no announcement told it about (default 2000, 10 to 86400000); appends of this process, and on
 * PostgreSQL of every replica, are announced at once, so this is only a safety net there</li>
 * </ul>
 * Administrators are cleared for everything.
 */
public record ConsoleConfig(Clearance defaultClearance, SortedMap<String, Clearance> userClearances, Duration ledgerPollInterval)
{
    public static final String PREFIX = "console.";
    public static final String DEFAULT_TLP = "console.clearance.default.tlp";
    public static final String DEFAULT_HANDLING = "console.clearance.default.handling";
    public static final String LEDGER_POLL = "console.feed.ledger-poll-milliseconds";
    public static final TlpMarkings.Tlp DEFAULT_TLP_VALUE = TlpMarkings.Tlp.AMBER_STRICT;
    public static final Duration DEFAULT_LEDGER_POLL_INTERVAL = Duration.ofSeconds(2);
    private static final long MINIMUM_LEDGER_POLL_MILLISECONDS = 10;
    private static final long MAXIMUM_LEDGER_POLL_MILLISECONDS = Duration.ofDays(1).toMillis();
    private static final Pattern USER_KEY = Pattern.compile("console\\.clearance\\.user\\.([A-Za-z0-9._@-]{1,64})\\.(tlp|handling)");
    private static final List<String> HANDLING_CODES = List.of("H0", "H1", "H2", "H3");

    public ConsoleConfig
    {
        requireNonNull(defaultClearance, "defaultClearance is null");
        userClearances = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(userClearances, "userClearances is null")));
        requireNonNull(ledgerPollInterval, "ledgerPollInterval is null");
    }

    public static ConsoleConfig defaults()
    {
        return fromProperties(Map.of());
    }

    /** Reads the {@code console.*} keys of {@code properties} (others are ignored); an unknown console key is an error naming it. */
    public static ConsoleConfig fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        SortedMap<String, String> keys = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                keys.put(key, requireNonNull(value, () -> "value of " + key + " is null").strip());
            }
        });
        Clearance defaultClearance = clearance(keys, DEFAULT_TLP, DEFAULT_HANDLING, Clearance.upTo(DEFAULT_TLP_VALUE));
        Duration ledgerPoll = keys.containsKey(LEDGER_POLL)
                ? Duration.ofMillis(ConfigurationValues.wholeNumber(LEDGER_POLL, keys.get(LEDGER_POLL), MINIMUM_LEDGER_POLL_MILLISECONDS, MAXIMUM_LEDGER_POLL_MILLISECONDS))
                : DEFAULT_LEDGER_POLL_INTERVAL;
        SortedMap<String, Clearance> users = new TreeMap<>();
        for (String key : keys.keySet()) {
            if (key.equals(DEFAULT_TLP) || key.equals(DEFAULT_HANDLING) || key.equals(LEDGER_POLL)) {
                continue;
            }
            Matcher matcher = USER_KEY.matcher(key);
            if (!matcher.matches()) {
                throw ConfigurationValues.invalid(key, "is not a console key (console.clearance.default.tlp, console.clearance.default.handling, "
                        + "console.clearance.user.<name>.tlp or .handling, " + LEDGER_POLL + ")");
            }
            String user = matcher.group(1);
            String prefix = "console.clearance.user." + user;
            users.computeIfAbsent(user, name -> clearance(keys, prefix + ".tlp", prefix + ".handling", defaultClearance));
        }
        return new ConsoleConfig(defaultClearance, users, ledgerPoll);
    }

    /** The clearance of a signed-in user. */
    public Clearance clearanceOf(AuthenticatedUser user)
    {
        if (user.administrator()) {
            return Clearance.unrestricted();
        }
        return userClearances.getOrDefault(user.name(), defaultClearance);
    }

    /** The keys this configuration was read from, with their effective values; the form {@code fromProperties} reads back. */
    public SortedMap<String, String> toProperties()
    {
        SortedMap<String, String> properties = new TreeMap<>();
        write(properties, DEFAULT_TLP, DEFAULT_HANDLING, defaultClearance);
        userClearances.forEach((user, clearance) -> write(properties, "console.clearance.user." + user + ".tlp", "console.clearance.user." + user + ".handling", clearance));
        properties.put(LEDGER_POLL, Long.toString(ledgerPollInterval.toMillis()));
        return properties;
    }

    private static void write(SortedMap<String, String> properties, String tlpKey, String handlingKey, Clearance clearance)
    {
        properties.put(tlpKey, clearance.maximum().level());
        properties.put(handlingKey, clearance.allHandlingCodes() ? "all" : clearance.handlingCodes().isEmpty() ? "none" : String.join(",", clearance.handlingCodes()));
    }

    private static Clearance clearance(Map<String, String> keys, String tlpKey, String handlingKey, Clearance fallback)
    {
        TlpMarkings.Tlp maximum = fallback.maximum();
        String tlp = keys.get(tlpKey);
        if (tlp != null) {
            maximum = level(tlpKey, tlp);
        }
        String handling = keys.get(handlingKey);
        if (handling == null) {
            return new Clearance(maximum, fallback.allHandlingCodes(), fallback.handlingCodes());
        }
        String normalized = handling.toLowerCase(Locale.ROOT);
        if (normalized.equals("all")) {
            return Clearance.upTo(maximum);
        }
        if (normalized.equals("none")) {
            return Clearance.upTo(maximum).withHandlingCodes(List.of());
        }
        List<String> codes = new ArrayList<>();
        for (String part : handling.split(",")) {
            String code = part.strip().toUpperCase(Locale.ROOT);
            if (!HANDLING_CODES.contains(code)) {
                throw ConfigurationValues.invalid(handlingKey, handling, "must be all, none or a comma-separated list of " + HANDLING_CODES + ", and '" + part.strip() + "' is none of them");
            }
            codes.add(code);
        }
        return Clearance.upTo(maximum).withHandlingCodes(codes);
    }

    private static TlpMarkings.Tlp level(String key, String text)
    {
        for (TlpMarkings.Tlp tlp : TlpMarkings.Tlp.values()) {
            if (tlp.level().equalsIgnoreCase(text)) {
                return tlp;
            }
        }
        throw ConfigurationValues.invalid(key, text, "is not a TLP 2.0 level (clear, green, amber, amber+strict, red)");
    }
}
