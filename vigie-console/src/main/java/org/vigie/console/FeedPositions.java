package org.vigie.console;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.events.Cursor;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Short SSE ids for a live feed over an event log of many positions. A Kafka cursor names every partition of
 * every collection's topic with its offset and sequence (about 170 bytes a collection once encoded), too long for
 * a {@code Last-Event-ID} header beyond a few dozen collections. So the feed saves a <em>base</em>, a whole
 * cursor, in table {@code feed_positions} of the console's database (shared by the replicas) under a random
 * token, and each id says {@code f2.<token>.<changes>}: the positions that differ from the base, each as the
 * index of its name among the base's sorted names and the difference of its value, both in base 36. When the
 * changes would exceed {@value #MAXIMUM_CHANGES_CHARACTERS} characters, or name a position the base lacks (a
 * collection created since), the stream saves its current cursor as a new base; so an id never exceeds about
 * {@value #MAXIMUM_ID_CHARACTERS} characters whatever the number of collections. Bases older than
 * {@link #RETENTION} are deleted; an id naming one is answered with a notice and the stream starts from now.
 */
final class FeedPositions
{
    /** How long a base, hence every id built on it, can be resumed from. */
    static final Duration RETENTION = Duration.ofDays(1);
    static final int MAXIMUM_CHANGES_CHARACTERS = 400;
    static final int MAXIMUM_ID_CHARACTERS = MAXIMUM_CHANGES_CHARACTERS + 20;
    private static final String PREFIX = "f2.";
    private static final int TOKEN_BYTES = 12;
    private static final Pattern COMPACT = Pattern.compile("f2\\.([A-Za-z0-9_-]{16})\\.((?:[0-9a-z]+:-?[0-9a-z]+(?:,[0-9a-z]+:-?[0-9a-z]+)*)?)");

    private final SearchDatabase database;
    private final InstantSource clock;
    private final Random random;

    /** A saved base: its token, the whole cursor, and when it was saved. */
    record Base(String token, Cursor cursor, Instant created)
    {
        Base
        {
            requireNonNull(token, "token is null");
            requireNonNull(cursor, "cursor is null");
            requireNonNull(created, "created is null");
        }
    }

    /** What a compact id names: a token and the changes to its base, by name index. */
    record Compact(String token, Map<Integer, Long> changes)
    {
        Compact
        {
            requireNonNull(token, "token is null");
            changes = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(changes, "changes is null")));
        }
    }

    FeedPositions(SearchDatabase database, InstantSource clock)
    {
        this(database, clock, new SecureRandom());
    }

    FeedPositions(SearchDatabase database, InstantSource clock, Random random)
    {
        this.database = requireNonNull(database, "database is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    /** Saves {@code cursor} as a base under a new token (and deletes the expired bases). */
    Base save(Cursor cursor)
    {
        requireNonNull(cursor, "cursor is null");
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        try (Connection connection = database.connection()) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM feed_positions WHERE created_at < ?")) {
                delete.setLong(1, now.minus(RETENTION).toEpochMilli());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO feed_positions (token, position, created_at) VALUES (?, ?, ?)")) {
                insert.setString(1, token);
                insert.setString(2, cursor.encode());
                insert.setLong(3, now.toEpochMilli());
                insert.executeUpdate();
            }
        }
        catch (SQLException e) {
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "live feed: cannot save a resumption base in " + database.location() + ": " + e.getMessage(), e);
        }
        return new Base(token, cursor, now);
    }

    /** The base saved under {@code token}, unless unknown or expired. */
    Optional<Base> find(String token)
    {
        requireNonNull(token, "token is null");
        try (Connection connection = database.connection();
                PreparedStatement select = connection.prepareStatement("SELECT position, created_at FROM feed_positions WHERE token = ?")) {
            select.setString(1, token);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                Instant created = Instant.ofEpochMilli(rows.getLong(2));
                if (expired(created)) {
                    return Optional.empty();
                }
                return Optional.of(new Base(token, Cursor.decode(rows.getString(1)), created));
            }
        }
        catch (SQLException e) {
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "live feed: cannot read a resumption base in " + database.location() + ": " + e.getMessage(), e);
        }
    }

    /** Whether ids should stop naming this base: past half its life, so that an id handed out now stays resumable for at least that long. */
    boolean aging(Base base)
    {
        return clock.instant().isAfter(base.created().plus(RETENTION.dividedBy(2)));
    }

    private boolean expired(Instant created)
    {
        return clock.instant().isAfter(created.plus(RETENTION));
    }

    /** The id of {@code cursor} relative to {@code base}; empty when it cannot be said within the bound (then save a new base). */
    static Optional<String> encode(Base base, Cursor cursor)
    {
        List<String> names = new ArrayList<>(base.cursor().positions().keySet());
        if (!names.containsAll(cursor.positions().keySet()) || !cursor.positions().keySet().containsAll(names)) {
            return Optional.empty();
        }
        StringBuilder changes = new StringBuilder();
        for (int index = 0; index < names.size(); index++) {
            String name = names.get(index);
            long difference = cursor.positions().get(name) - base.cursor().positions().get(name);
            if (difference == 0) {
                continue;
            }
            if (!changes.isEmpty()) {
                changes.append(',');
            }
            changes.append(Integer.toString(index, Character.MAX_RADIX)).append(':').append(Long.toString(difference, Character.MAX_RADIX));
            if (changes.length() > MAXIMUM_CHANGES_CHARACTERS) {
                return Optional.empty();
            }
        }
        return Optional.of(PREFIX + base.token() + "." + changes);
    }

    /** Whether an id is of the compact form (a {@link Cursor}'s text never holds a dot). */
    static boolean isCompact(String id)
    {
        return id.startsWith(PREFIX);
    }

    /** Reads a compact id; fails with EVENT_CURSOR_INVALID when it is not one this console could have issued. */
    static Compact parse(String id)
    {
        Matcher matcher = COMPACT.matcher(id);
        if (!matcher.matches()) {
            throw invalid(id, "it is not of the form f2.<token>.<index>:<difference>,...");
        }
        Map<Integer, Long> changes = new TreeMap<>();
        if (!matcher.group(2).isEmpty()) {
            for (String change : matcher.group(2).split(",")) {
                int colon = change.indexOf(':');
                try {
                    int index = Integer.parseInt(change.substring(0, colon), Character.MAX_RADIX);
                    long difference = Long.parseLong(change.substring(colon + 1), Character.MAX_RADIX);
                    if (changes.put(index, difference) != null) {
                        throw invalid(id, "position " + change.substring(0, colon) + " changes twice");
                    }
                }
                catch (NumberFormatException e) {
                    throw invalid(id, "'" + change + "' is out of range");
                }
            }
        }
        return new Compact(matcher.group(1), changes);
    }

    /** The whole cursor a compact id names on its base. */
    static Cursor apply(Base base, Compact compact, String id)
    {
        List<String> names = new ArrayList<>(base.cursor().positions().keySet());
        TreeMap<String, Long> positions = new TreeMap<>(base.cursor().positions());
        compact.changes().forEach((index, difference) -> {
            if (index >= names.size()) {
                throw invalid(id, "position " + index + " does not exist in its base (" + names.size() + " positions)");
            }
            positions.put(names.get(index), positions.get(names.get(index)) + difference);
        });
        return Cursor.of(positions);
    }

    private static VigieException invalid(String id, String why)
    {
        return new VigieException(ErrorCode.EVENT_CURSOR_INVALID, "live feed: " + FeedStream.LAST_EVENT_ID + " '" + id + "' is not an id this console issued: " + why);
    }
}
