package org.vigie.stix;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.json.StixJson;
import org.vigie.stix.validation.StixValidator;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
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

    private static List<ParsedObject> readAll(byte[] bytes)
    {
        List<ParsedObject> objects = new ArrayList<>();
        try (BundleReader reader = BundleReader.open(new ByteArrayInputStream(bytes))) {
            reader.forEachRemaining(objects::add);
        }
        return objects;
    }
}
