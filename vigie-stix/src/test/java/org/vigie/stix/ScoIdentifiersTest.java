package org.vigie.stix;

import org.junit.jupiter.api.Test;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ScoIdentifiersTest
{
    @Test
    void matchesReferenceVectors()
            throws IOException
    {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("/sco-identifiers/vectors.json")) {
            vectors = StixJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(vectors.size()).isGreaterThanOrEqualTo(10);
        for (JsonNode vector : vectors) {
            assertThat(ScoIdentifiers.deterministicId(vector.get("object")))
                    .as("id of %s", vector.get("object"))
                    .contains(vector.get("expected_id").stringValue());
        }
    }

    @Test
    void isVersion5AndIgnoresNonContributingProperties()
    {
        JsonNode plain = StixJson.parse("{\"type\":\"url\",\"value\":\"https://example.org/\"}");
        JsonNode decorated = StixJson.parse("{\"type\":\"url\",\"id\":\"url--x\",\"defanged\":true,\"value\":\"https://example.org/\"}");
        String id = ScoIdentifiers.deterministicId(plain).orElseThrow();
        assertThat(ScoIdentifiers.deterministicId(decorated)).contains(id);
        UUID uuid = UUID.fromString(id.substring("url--".length()));
        assertThat(uuid.version()).isEqualTo(5);
        assertThat(uuid.variant()).isEqualTo(2);
    }

    @Test
    void emptyWithoutContributingPropertiesOrForProcessAndCustomTypes()
    {
        assertThat(ScoIdentifiers.deterministicId(StixJson.parse("{\"type\":\"file\",\"size\":3}"))).isEmpty();
        assertThat(ScoIdentifiers.deterministicId(StixJson.parse("{\"type\":\"process\",\"pid\":3}"))).isEmpty();
        assertThat(ScoIdentifiers.deterministicId(StixJson.parse("{\"type\":\"x-thing\",\"value\":\"a\"}"))).isEmpty();
    }
}
