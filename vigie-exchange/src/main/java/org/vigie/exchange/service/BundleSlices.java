package org.vigie.exchange.service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The text of each object of a verified envelope's bundle, cut from its canonical payload (RFC 8785: no
 * whitespace, members in a fixed order), so that the receiver stores the very bytes the sender signed
 * instead of writing every object's JSON again from its parsed tree, which cost about a seventh of the
 * receiver's time per object in a catch-up. Only used on payloads already verified to be canonical.
 */
final class BundleSlices
{
    private BundleSlices() {}

    /** The objects' texts in bundle order, or empty if the payload does not have the expected shape. */
    static Optional<List<String>> objects(String compactJws)
    {
        int first = compactJws.indexOf('.');
        int second = compactJws.indexOf('.', first + 1);
        if (first < 0 || second < 0) {
            return Optional.empty();
        }
        String payload;
        try {
            payload = new String(Base64.getUrlDecoder().decode(compactJws.substring(first + 1, second)), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            return cut(payload);
        }
        catch (IndexOutOfBoundsException e) {
            // Not the shape of an envelope: the caller writes the objects from their trees instead.
            return Optional.empty();
        }
    }

    private static Optional<List<String>> cut(String payload)
    {
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        Optional<int[]> bundle = member(payload, 0, "bundle");
        if (bundle.isEmpty() || payload.charAt(bundle.get()[0]) != '{') {
            return Optional.empty();
        }
        Optional<int[]> objects = member(payload, bundle.get()[0], "objects");
        if (objects.isEmpty() || payload.charAt(objects.get()[0]) != '[') {
            return Optional.empty();
        }
        List<String> texts = new ArrayList<>();
        int position = objects.get()[0] + 1;
        while (payload.charAt(position) != ']') {
            int end = skipValue(payload, position);
            texts.add(payload.substring(position, end));
            position = payload.charAt(end) == ',' ? end + 1 : end;
        }
        return Optional.of(texts);
    }

    /** Start and end of the value of {@code name} in the object starting at {@code start}, if it has that member. */
    private static Optional<int[]> member(String json, int start, String name)
    {
        if (json.charAt(start) != '{') {
            return Optional.empty();
        }
        String key = "\"" + name + "\"";
        int position = start + 1;
        while (json.charAt(position) != '}') {
            int keyEnd = skipValue(json, position);
            int valueStart = keyEnd + 1;
            int valueEnd = skipValue(json, valueStart);
            if (json.startsWith(key, position) && keyEnd == position + key.length()) {
                return Optional.of(new int[] {valueStart, valueEnd});
            }
            position = json.charAt(valueEnd) == ',' ? valueEnd + 1 : valueEnd;
        }
        return Optional.empty();
    }

    /** The index just after the JSON value starting at {@code start} (no whitespace, as in canonical JSON). */
    private static int skipValue(String json, int start)
    {
        int depth = 0;
        int position = start;
        do {
            char character = json.charAt(position);
            if (character == '"') {
                position++;
                while (json.charAt(position) != '"') {
                    position += json.charAt(position) == '\\' ? 2 : 1;
                }
            }
            else if (character == '{' || character == '[') {
                depth++;
            }
            else if (character == '}' || character == ']') {
                depth--;
            }
            else if (depth == 0) {
                // A number or a literal: up to the next delimiter.
                while (position + 1 < json.length() && ",}]".indexOf(json.charAt(position + 1)) < 0) {
                    position++;
                }
            }
            position++;
        }
        while (depth > 0);
        return position;
    }
}
