package org.vigie.store.events;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A position in an event log. Consumers treat it as opaque: they keep its {@link #encode() text} (in a
 * database, a URL, an SSE {@code id}) and give it back with {@link #decode}. The log that issued it reads it
 * as named positions (the store: one sequence; Kafka: an offset per partition), kept sorted so the text is
 * deterministic.
 */
public final class Cursor
{
    private static final String PREFIX = "vigie-events-1:";
    // Position names appear in the text between separators, so they may not contain them.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._\\-/]+");

    private final SortedMap<String, Long> positions;

    private Cursor(SortedMap<String, Long> positions)
    {
        this.positions = Collections.unmodifiableSortedMap(new TreeMap<>(positions));
    }

    /** A cursor at the given named positions; names are letters, digits and {@code . _ - /}. */
    public static Cursor of(Map<String, Long> positions)
    {
        requireNonNull(positions, "positions is null");
        positions.forEach((name, position) -> {
            requireNonNull(name, "position name is null");
            requireNonNull(position, "position is null");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("position name '" + name + "' may contain only letters, digits and . _ - /");
            }
        });
        return new Cursor(new TreeMap<>(positions));
    }

    /** The cursor with no positions: the beginning of any log. */
    public static Cursor empty()
    {
        return new Cursor(new TreeMap<>());
    }

    public SortedMap<String, Long> positions()
    {
        return positions;
    }

    public OptionalLong position(String name)
    {
        Long position = positions.get(name);
        return position == null ? OptionalLong.empty() : OptionalLong.of(position);
    }

    /** This cursor with {@code name} moved to {@code position}. */
    public Cursor with(String name, long position)
    {
        TreeMap<String, Long> moved = new TreeMap<>(positions);
        moved.put(name, position);
        return of(moved);
    }

    public String encode()
    {
        StringBuilder text = new StringBuilder(PREFIX);
        String separator = "";
        for (Map.Entry<String, Long> entry : positions.entrySet()) {
            text.append(separator).append(entry.getKey()).append('=').append(entry.getValue());
            separator = ",";
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the text of {@link #encode()}; fails with EVENT_CURSOR_INVALID on anything else. */
    public static Cursor decode(String encoded)
    {
        requireNonNull(encoded, "encoded is null");
        try {
            String text = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX)) {
                TreeMap<String, Long> positions = new TreeMap<>();
                String body = text.substring(PREFIX.length());
                if (!body.isEmpty()) {
                    for (String part : body.split(",", -1)) {
                        int equals = part.lastIndexOf('=');
                        if (equals <= 0 || positions.put(part.substring(0, equals), Long.parseLong(part.substring(equals + 1))) != null) {
                            throw new IllegalArgumentException("bad position " + part);
                        }
                    }
                }
                return of(positions);
            }
        }
        catch (IllegalArgumentException e) {
            // falls through to the error below: NumberFormatException is an IllegalArgumentException
        }
        throw new VigieException(ErrorCode.EVENT_CURSOR_INVALID, "event cursor '" + encoded + "' was not issued by a Vigie event log");
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof Cursor cursor && positions.equals(cursor.positions);
    }

    @Override
    public int hashCode()
    {
        return positions.hashCode();
    }

    @Override
    public String toString()
    {
        return "Cursor" + positions;
    }
}
