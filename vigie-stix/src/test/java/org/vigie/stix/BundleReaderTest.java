package org.vigie.stix;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.json.StixJson;
import org.vigie.stix.validation.StixValidator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleReaderTest
{
    private static final Path ATTACK = Path.of("..", "testdata", "stix", "ics-attack-18.1.json");

    @Test
    void streamsTheSameObjectsAsAWholeTreeParse()
            throws IOException
    {
        byte[] bytes = Files.readAllBytes(ATTACK);
        JsonNode whole = StixJson.parse(new String(bytes, StandardCharsets.UTF_8));
        List<ParsedObject> objects = readAll(bytes);
        assertThat(objects).hasSize(whole.get("objects").size());
        for (int i = 0; i < objects.size(); i++) {
            assertThat(objects.get(i).tree()).isEqualTo(whole.get("objects").get(i));
            assertThat(StixJson.parse(objects.get(i).json())).isEqualTo(whole.get("objects").get(i));
        }
        try (BundleReader reader = BundleReader.open(new ByteArrayInputStream(bytes))) {
            assertThat(reader.bundleId()).isEqualTo(whole.get("id").stringValue());
        }
    }

    @Test
    void acceptsSingleObjectsArraysAndBundlesWithTrailingId()
    {
        String object = "{\"type\":\"x-thing\",\"id\":\"x-thing--2b0a5b6e-9b1f-4c5e-8f2a-6f0f8f6e4a11\",\"x_value\":1.50}";
        assertThat(readAll(object.getBytes(StandardCharsets.UTF_8))).singleElement()
                .satisfies(parsed -> assertThat(parsed.json()).isEqualTo(object));
        assertThat(readAll(("[" + object + "," + object + "]").getBytes(StandardCharsets.UTF_8))).hasSize(2);
        String bundle = "{\"objects\":[" + object + "],\"type\":\"bundle\",\"id\":\"bundle--2b0a5b6e-9b1f-4c5e-8f2a-6f0f8f6e4a11\"}";
        try (BundleReader reader = BundleReader.open(new ByteArrayInputStream(bundle.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(reader.next().json()).isEqualTo(object);
            assertThat(reader.hasNext()).isFalse();
            assertThat(reader.bundleId()).isEqualTo("bundle--2b0a5b6e-9b1f-4c5e-8f2a-6f0f8f6e4a11");
        }
    }

    @Test
    void malformedJsonNamesLineAndColumn()
    {
        String broken = "{\"type\":\"bundle\",\n\"objects\":[{\"type\":\"x-a\"},\n{\"type\" \"x-b\"}]}";
        assertThatThrownBy(() -> readAll(broken.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(VigieException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
                    assertThat(e.getMessage()).contains("line 3, column");
                });
        assertThatThrownBy(() -> readAll("{\"type\":\"bundle\",\"objects\":[1]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STIX));
        assertThatThrownBy(() -> readAll("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON));
    }

    /** Seeded fuzz: mutated bundles make the reader and validator fail only with VigieException, and always end. */
    @Test
    void mutatedInputFailsOnlyWithVigieException()
            throws IOException
    {
        byte[] original = Files.readAllBytes(Path.of("..", "testdata", "stix-examples", "infrastructure.json"));
        StixValidator validator = StixValidator.create();
        byte[] alphabet = "{}[]\",:0123456789.eE+-tfn \\u".getBytes(StandardCharsets.US_ASCII);
        Random random = new Random(20260101);
        int failures = 0;
        int iterations = 3000;
        for (int iteration = 0; iteration < iterations; iteration++) {
            byte[] mutated = original.clone();
            int edits = 1 + random.nextInt(4);
            for (int edit = 0; edit < edits; edit++) {
                int position = random.nextInt(mutated.length);
                switch (random.nextInt(3)) {
                    case 0 -> mutated[position] = alphabet[random.nextInt(alphabet.length)];
                    case 1 -> mutated[position] = (byte) random.nextInt(256);
                    default -> mutated = java.util.Arrays.copyOf(mutated, position);
                }
            }
            try {
                for (ParsedObject object : readAll(mutated)) {
                    validator.validate(object.tree());
                }
            }
            catch (VigieException e) {
                failures++;
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        // Most mutations break the JSON; the count shows the fuzz exercised the failure paths.
        assertThat(failures).isBetween(1, iterations);
    }

    @Test
    void textIsTheObjectsOwnTokensWithoutTheWhitespaceBetweenThem()
    {
        // Tokens a re-serialisation would change: number spellings, escapes, raw non-ASCII, whitespace inside strings.
        String object = "{ \"type\" : \"x-thing\",\n\t\"x_numbers\" : [ 1.50 , -0 , 1E+400 , 0.1e-7 , 12345678901234567890123 ],\r\n"
                + "  \"x_text\" : \"caf\\u00e9 café \\\"quoted\\\" back\\\\slash { [ : , ] }\\n  tab\\t\" ,\n"
                + "  \"x_nested\" : { \"a\" : [ { } , [ ] , null , true , false , \"\" ] } }";
        String bundle = "{\n  \"type\": \"bundle\",\n  \"objects\": [\n    " + object + " ,\n    " + object + "\n  ]\n}\n";
        List<ParsedObject> objects = readAll(bundle.getBytes(StandardCharsets.UTF_8));
        assertThat(objects).hasSize(2);
        for (ParsedObject parsed : objects) {
            assertThat(parsed.json())
                    .startsWith("{\"type\":\"x-thing\",\"x_numbers\":[1.50,-0,1E+400,0.1e-7,12345678901234567890123],")
                    .contains("\"x_text\":\"caf\\u00e9 café \\\"quoted\\\" back\\\\slash { [ : , ] }\\n  tab\\t\"")
                    .endsWith("\"x_nested\":{\"a\":[{},[],null,true,false,\"\"]}}");
            assertThat(StixJson.parse(parsed.json())).isEqualTo(parsed.tree()).isEqualTo(StixJson.parse(object));
        }
        // A document that is one object gives that object's text the same way.
        assertThat(readAll(object.getBytes(StandardCharsets.UTF_8))).singleElement()
                .satisfies(parsed -> assertThat(parsed.json()).isEqualTo(objects.get(0).json()));
    }

    // Characters JSON writes escaped, raw multi-byte UTF-8 of 2, 3 and 4 bytes, and plain ASCII.
    private static final List<String> PIECES = List.of("a", "b", " ", "\"", "\\", "\n", "{", "}", "é", "中", "\uD83D\uDE00");

    /** Seeded: large and many objects, pretty-printed, delivered in random small chunks, read back as their compact text. */
    @Test
    void streamsInputLargerThanItsBufferInRandomChunks()
    {
        Random random = new Random(20260304);
        ArrayNode objects = StixJson.mapper().createArrayNode();
        for (int i = 0; i < 300; i++) {
            ObjectNode object = objects.addObject();
            object.put("type", "x-thing");
            object.put("id", "x-thing--" + new java.util.UUID(random.nextLong(), random.nextLong()));
            // Some objects far larger than the reader's initial 64 KiB buffer.
            int length = random.nextInt(10) == 0 ? 100_000 + random.nextInt(300_000) : random.nextInt(2_000);
            StringBuilder text = new StringBuilder(length);
            for (int character = 0; character < length; character++) {
                text.append(PIECES.get(random.nextInt(PIECES.size())));
            }
            object.put("x_text", text.toString());
            object.putArray("x_values").add(random.nextLong()).add(random.nextInt()).add(random.nextBoolean());
        }
        ObjectNode bundle = StixJson.mapper().createObjectNode();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--2b0a5b6e-9b1f-4c5e-8f2a-6f0f8f6e4a11");
        bundle.set("objects", objects);
        byte[] pretty = StixJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(bundle);

        // Hands out 1 to 9,000 bytes per read, as a network stream might.
        InputStream chunked = new ByteArrayInputStream(pretty)
        {
            @Override
            public synchronized int read(byte[] target, int offset, int length)
            {
                return super.read(target, offset, Math.min(length, 1 + random.nextInt(9_000)));
            }
        };
        List<ParsedObject> read = new ArrayList<>();
        try (BundleReader reader = BundleReader.open(chunked)) {
            reader.forEachRemaining(read::add);
        }
        assertThat(read).hasSize(objects.size());
        for (int i = 0; i < read.size(); i++) {
            assertThat(read.get(i).tree()).isEqualTo(objects.get(i));
            assertThat(read.get(i).json()).isEqualTo(StixJson.compact(objects.get(i)));
        }
    }

    @Test
    void retainedBytesStayBoundedWhateverTheInputLength()
            throws IOException
    {
        Random random = new Random(20260305);
        byte[] data = new byte[32 << 20];
        random.nextBytes(data);
        RetainingInputStream input = new RetainingInputStream(new ByteArrayInputStream(data));
        byte[] chunk = new byte[8_000];
        long offset = 0;
        int largest = 0;
        for (int read = input.read(chunk, 0, chunk.length); read > 0; read = input.read(chunk, 0, chunk.length)) {
            // Keep the last 1,000 bytes, as the reader keeps the object being parsed.
            long sliceStart = Math.max(0, offset + read - 1_000);
            int index = input.indexOf(sliceStart);
            assertThat(java.util.Arrays.copyOfRange(input.buffer(), index, index + (int) (offset + read - sliceStart)))
                    .isEqualTo(java.util.Arrays.copyOfRange(data, (int) sliceStart, (int) (offset + read)));
            offset += read;
            input.retainFrom(sliceStart);
            largest = Math.max(largest, input.buffer().length);
        }
        assertThat(offset).isEqualTo(data.length);
        assertThat(largest).isLessThanOrEqualTo(1 << 16);
        assertThatThrownBy(() -> input.indexOf(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void inputWithAByteOrderMarkIsSlicedAtTheRightOffsets()
    {
        String object = "{\"type\":\"x-thing\",\"x_value\":1.0}";
        byte[] text = ("[" + object + "," + object + "]").getBytes(StandardCharsets.UTF_8);
        byte[] marked = new byte[text.length + 3];
        marked[0] = (byte) 0xEF;
        marked[1] = (byte) 0xBB;
        marked[2] = (byte) 0xBF;
        System.arraycopy(text, 0, marked, 3, text.length);
        assertThat(readAll(marked)).extracting(ParsedObject::json).containsExactly(object, object);
        // UTF-16 has no byte offsets to slice with: the text is written from the tree instead, with the same meaning.
        byte[] utf16 = ("[" + object + "]").getBytes(StandardCharsets.UTF_16BE);
        assertThat(readAll(utf16)).singleElement()
                .satisfies(parsed -> assertThat(StixJson.parse(parsed.json())).isEqualTo(StixJson.parse(object)).isEqualTo(parsed.tree()));
    }

    private static List<ParsedObject> readAll(byte[] bytes)
    {
        List<ParsedObject> objects = new ArrayList<>();
        try (BundleReader reader = BundleReader.open(new ByteArrayInputStream(bytes))) {
            reader.forEachRemaining(objects::add);
        }
        return objects;
    }
}
