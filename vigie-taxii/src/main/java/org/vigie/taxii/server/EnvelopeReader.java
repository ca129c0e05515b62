package org.vigie.taxii.server;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.ParsedObject;
import org.vigie.stix.json.StixJson;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the objects of a POSTed TAXII envelope ({@code {"objects": [...]}}, TAXII 2.1 section 3.7) or STIX
 * bundle in one streaming pass: each object is parsed on its own, so an object that is valid JSON but not
 * valid STIX can be reported alone while the others are stored. Other envelope properties are ignored.
 */
final class EnvelopeReader
{
    // Reads one object at a time from a parser positioned inside the array: what follows it is not "trailing".
    private static final ObjectReader OBJECT_READER = StixJson.mapper().reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private EnvelopeReader() {}

    static List<ParsedObject> read(InputStream in)
    {
        byte[] body;
        try {
            body = in.readAllBytes();
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read the request body: " + e.getMessage(), e);
        }
        return read(body);
    }

    /**
     * Parses a whole body. Each object's text is sliced from the body rather than re-serialised from its
     * tree: cheaper, and it keeps the producer's text exactly (number forms included).
     */
    static List<ParsedObject> read(byte[] body)
    {
        List<ParsedObject> objects = new ArrayList<>();
        boolean sawObjects = false;
        try (JsonParser parser = StixJson.mapper().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "the request body must be a TAXII envelope: a JSON object with an 'objects' array");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!name.equals("objects")) {
                    parser.skipChildren();
                    continue;
                }
                if (sawObjects) {
                    throw new VigieException(ErrorCode.INVALID_JSON, "the envelope has two 'objects' properties");
                }
                sawObjects = true;
                if (value != JsonToken.START_ARRAY) {
                    throw new VigieException(ErrorCode.INVALID_ARGUMENT, "the envelope's 'objects' must be an array, found " + value);
                }
                int index = 0;
                JsonToken element;
                while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (element != JsonToken.START_OBJECT) {
                        throw new VigieException(ErrorCode.INVALID_ARGUMENT, "element " + index + " of 'objects' is " + element + ", not a JSON object");
                    }
                    long start = parser.currentTokenLocation().getByteOffset();
                    JsonNode tree = OBJECT_READER.readTree(parser);
                    long end = parser.currentTokenLocation().getByteOffset() + 1;
                    String json = start >= 0 && end > start && end <= body.length && body[(int) end - 1] == '}'
                            ? new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8)
                            : StixJson.compact(tree);
                    objects.add(new ParsedObject(tree, json));
                    index++;
                }
            }
            if (parser.nextToken() != null) {
                throw new VigieException(ErrorCode.INVALID_JSON, "unexpected content after the envelope");
            }
        }
        catch (JacksonException e) {
            if (e.getCause() instanceof VigieException vigie) {
                throw vigie;
            }
            throw StixJson.invalidJson(e);
        }
        if (!sawObjects) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "the envelope has no 'objects' array");
        }
        return objects;
    }

    /** Limits how many bytes a request body may have when its length was not declared up front. */
    static final class LimitedInputStream
            extends InputStream
    {
        private final InputStream delegate;
        private final long limit;
        private long count;

        LimitedInputStream(InputStream delegate, long limit)
        {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public int read()
                throws IOException
        {
            int value = delegate.read();
            if (value >= 0) {
                count(1);
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
                throws IOException
        {
            int read = delegate.read(buffer, offset, length);
            if (read > 0) {
                count(read);
            }
            return read;
        }

        private void count(int read)
        {
            count += read;
            if (count > limit) {
                throw new VigieException(ErrorCode.CONTENT_TOO_LARGE, "the request body exceeds max_content_length (" + limit + " bytes)");
            }
        }

        @Override
        public void close()
                throws IOException
        {
            delegate.close();
        }
    }
}
