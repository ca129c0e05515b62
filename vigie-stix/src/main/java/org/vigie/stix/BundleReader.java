package org.vigie.stix;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.json.StixJson;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;

import static java.util.Objects.requireNonNull;

/**
 * Reads the objects of a STIX document one at a time, in constant memory whatever the number of
 * objects: only the object being returned is held, as a tree and as text.
 *
 * <p>Each object's {@link ParsedObject#json() text} is sliced from the input bytes rather than
 * written again from the tree: it is the object as its producer wrote it, less the whitespace
 * between tokens (every token, such as a number's digits or a string's escapes, is kept byte for byte).
 *
 * <p>Accepted documents: a bundle {@code {"type":"bundle","id":...,"objects":[...]}} (its properties
 * in any order), a single top-level STIX object (returned as the only object), or a JSON array of
 * objects. Malformed JSON fails with {@link ErrorCode#INVALID_JSON} naming line and column; a
 * well-formed document of another shape fails with {@link ErrorCode#INVALID_STIX}.
 *
 * <p>Not thread-safe: one reader is used by one thread.
 */
public final class BundleReader
        implements Iterator<ParsedObject>, AutoCloseable
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private enum State
    {
        /** Inside the bundle's "objects" array. */
        BUNDLE_OBJECTS,
        /** Inside a top-level array of objects. */
        ARRAY_OBJECTS,
        /** A single top-level object was read and is waiting to be returned. */
        SINGLE_OBJECT,
        /** Nothing more to return. */
        DONE
    }

    private final JsonParser parser;
    // The input as the parser reads it, from which each object's text is sliced.
    private final RetainingInputStream input;
    // Reused to drop the whitespace between tokens while copying an object's text.
    private byte[] compactBuffer = new byte[1 << 12];
    // Byte offset of the top-level value, for a document that is a single object.
    private long topLevelStart = -1;
    // The bundle's own properties (not its objects), read as they stream past.
    private final ObjectNode header;
    private State state;
    private ParsedObject next;
    private int index;
    private String bundleId;
    private boolean sawObjectsArray;

    private BundleReader(JsonParser parser, RetainingInputStream input)
    {
        this.parser = requireNonNull(parser, "parser is null");
        this.input = requireNonNull(input, "input is null");
        this.header = StixJson.mapper().createObjectNode();
        start();
    }

    /** Opens a reader over UTF-8 JSON; the stream is closed with the reader. */
    public static BundleReader open(InputStream in)
    {
        requireNonNull(in, "in is null");
        RetainingInputStream input = new RetainingInputStream(in);
        try {
            return new BundleReader(StixJson.mapper().createParser(input), input);
        }
        catch (JacksonException e) {
            throw StixJson.invalidJson(e);
        }
    }

    /** The bundle's id when the document is a bundle and its id has been read so far; null otherwise. */
    public String bundleId()
    {
        return bundleId;
    }

    @Override
    public boolean hasNext()
    {
        if (next == null && state != State.DONE) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public ParsedObject next()
    {
        if (!hasNext()) {
            throw new NoSuchElementException("no more STIX objects");
        }
        ParsedObject result = next;
        next = null;
        return result;
    }

    @Override
    public void close()
    {
        state = State.DONE;
        try {
            parser.close();
        }
        catch (JacksonException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot close STIX input: " + e.getOriginalMessage(), e);
        }
    }

    private void start()
    {
        try {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new VigieException(ErrorCode.INVALID_JSON, "malformed JSON at line 1, column 1: the input is empty");
            }
            switch (first) {
                case START_ARRAY -> state = State.ARRAY_OBJECTS;
                case START_OBJECT -> {
                    topLevelStart = parser.currentTokenLocation().getByteOffset();
                    readTopLevelObject();
                }
                default -> throw invalidStix("a STIX document must be a JSON object or array, found " + first);
            }
        }
        catch (JacksonException e) {
            throw StixJson.invalidJson(e);
        }
    }

    // Reads top-level properties until the "objects" array starts (bundle) or the object ends (single object).
    private void readTopLevelObject()
    {
        while (true) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_OBJECT) {
                finishTopLevelObject();
                return;
            }
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("objects") && value == JsonToken.START_ARRAY && isBundleOrUnknownType()) {
                sawObjectsArray = true;
                state = State.BUNDLE_OBJECTS;
                return;
            }
            JsonNode tree = StixJson.readValue(parser);
            header.set(name, tree);
            if (name.equals("id") && tree.isString() && "bundle".equals(header.path("type").asString(null))) {
                bundleId = tree.stringValue();
            }
            if (name.equals("type") && tree.isString() && tree.stringValue().equals("bundle") && header.path("id").isString()) {
                bundleId = header.get("id").stringValue();
            }
        }
    }

    private boolean isBundleOrUnknownType()
    {
        JsonNode type = header.get("type");
        return type == null || "bundle".equals(type.asString(null));
    }

    private void finishTopLevelObject()
    {
        long end = parser.currentTokenLocation().getByteOffset() + 1;
        String text = topLevelStart >= 0 && !sawObjectsArray ? text(topLevelStart, end) : null;
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw new VigieException(ErrorCode.INVALID_JSON, "malformed JSON " + where(parser.currentTokenLocation()) + ": unexpected content after the top-level value");
        }
        JsonNode type = header.get("type");
        boolean bundle = type != null && type.isString() && type.stringValue().equals("bundle");
        if (sawObjectsArray && !bundle) {
            throw invalidStix("the top-level object has an 'objects' array but its type is not 'bundle'");
        }
        if (bundle) {
            JsonNode id = header.get("id");
            bundleId = id != null && id.isString() ? id.stringValue() : null;
            state = State.DONE;
            return;
        }
        next = new ParsedObject(header, text != null ? text : StixJson.compact(header));
        state = State.SINGLE_OBJECT;
    }

    private ParsedObject advance()
    {
        try {
            switch (state) {
                case SINGLE_OBJECT -> {
                    state = State.DONE;
                    return null;
                }
                case DONE -> {
                    return null;
                }
                case BUNDLE_OBJECTS, ARRAY_OBJECTS -> {
                    return readArrayElement();
                }
            }
            throw new IllegalStateException("unreachable");
        }
        catch (JacksonException e) {
            state = State.DONE;
            throw StixJson.invalidJson(e);
        }
    }

    private ParsedObject readArrayElement()
    {
        JsonToken token = parser.nextToken();
        if (token == null) {
            state = State.DONE;
            throw new VigieException(ErrorCode.INVALID_JSON, "malformed JSON " + where(parser.currentLocation()) + ": the input ends inside the objects array");
        }
        if (token == JsonToken.END_ARRAY) {
            if (state == State.BUNDLE_OBJECTS) {
                // The bundle's remaining properties (such as a trailing "id") follow the array.
                readTopLevelObject();
                if (state != State.DONE) {
                    state = State.DONE;
                }
            }
            else {
                finishArray();
            }
            return null;
        }
        if (token != JsonToken.START_OBJECT) {
            TokenStreamLocation location = parser.currentTokenLocation();
            state = State.DONE;
            throw invalidStix("element " + index + " of the objects array " + where(location) + " is " + token + ", not a JSON object");
        }
        long start = parser.currentTokenLocation().getByteOffset();
        if (start >= 0) {
            input.retainFrom(start);
        }
        JsonNode tree = StixJson.readValue(parser);
        index++;
        if (start < 0) {
            // Not a UTF-8 byte source, so there are no byte offsets to slice with.
            return new ParsedObject(tree, StixJson.compact(tree));
        }
        long end = parser.currentTokenLocation().getByteOffset() + 1;
        String text = text(start, end);
        input.retainFrom(end);
        return new ParsedObject(tree, text);
    }

    private void finishArray()
    {
        JsonToken trailing = parser.nextToken();
        state = State.DONE;
        if (trailing != null) {
            throw new VigieException(ErrorCode.INVALID_JSON, "malformed JSON " + where(parser.currentTokenLocation()) + ": unexpected content after the top-level array");
        }
    }

    /**
     * The text of the value between two byte offsets of the input: its bytes as written, without the
     * whitespace between tokens (so pretty-printed input yields compact text). Every token, including
     * each number's digits and each string's escapes, is kept byte for byte.
     */
    private String text(long start, long end)
    {
        byte[] bytes = input.buffer();
        int from = input.indexOf(start);
        int to = input.indexOf(end);
        if (compactBuffer.length < to - from) {
            compactBuffer = new byte[Math.max(compactBuffer.length * 2, to - from)];
        }
        byte[] target = compactBuffer;
        int length = 0;
        int i = from;
        while (i < to) {
            byte value = bytes[i];
            if (value == '"') {
                // Copy the whole string in one go: find its closing quote, stepping over escapes.
                int stringEnd = skipPlainBytes(bytes, i + 1, to);
                while (true) {
                    byte character = bytes[stringEnd];
                    if (character == '"') {
                        break;
                    }
                    stringEnd += character == '\\' ? 2 : 1;
                }
                stringEnd++;
                System.arraycopy(bytes, i, target, length, stringEnd - i);
                length += stringEnd - i;
                i = stringEnd;
            }
            else {
                if (value != ' ' && value != '\n' && value != '\r' && value != '\t') {
                    target[length++] = value;
                }
                i++;
            }
        }
        return new String(target, 0, length, StandardCharsets.UTF_8);
    }

    /**
     * The index of the first byte from {@code index} that may be a quote or a backslash, looking at
     * eight bytes at a time: strings are most of an object's text, and most of their bytes are plain.
     */
    private static int skipPlainBytes(byte[] bytes, int index, int end)
    {
        while (index + Long.BYTES <= end) {
            long word = (long) LONGS.get(bytes, index);
            long quotes = word ^ 0x2222222222222222L;
            long backslashes = word ^ 0x5C5C5C5C5C5C5C5CL;
            // A byte of either is zero exactly where the word has a quote or a backslash.
            long zeroes = ((quotes - 0x0101010101010101L) & ~quotes) | ((backslashes - 0x0101010101010101L) & ~backslashes);
            if ((zeroes & 0x8080808080808080L) != 0) {
                return index;
            }
            index += Long.BYTES;
        }
        return index;
    }

    private VigieException invalidStix(String message)
    {
        state = State.DONE;
        return new VigieException(ErrorCode.INVALID_STIX, message);
    }

    private static String where(TokenStreamLocation location)
    {
        return "at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
