package org.vigie.taxii.server;

import org.junit.jupiter.api.Test;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectsEnvelopeTest
{
    @Test
    void envelopeAroundStoredJsonIsValidJsonWithEveryObjectUnchanged()
    {
        List<String> objects = List.of("{\"id\":\"x--1\",\"name\":\"Zürich – 東京\"}", "{\"id\":\"x--2\",\"a\":[1,2]}");
        byte[] bytes = ObjectsEnvelope.bytes(true, Optional.of("abc\"\\\u0001"), objects);
        JsonNode envelope = StixJson.parse(new String(bytes, StandardCharsets.UTF_8));
        assertThat(envelope.path("more").booleanValue()).isTrue();
        assertThat(envelope.path("next").asString()).isEqualTo("abc\"\\\u0001");
        assertThat(envelope.path("objects").values()).extracting(StixJson::compact).containsExactlyElementsOf(objects);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains(objects.get(0)).contains(objects.get(1));
    }

    @Test
    void emptyLastPageHasNoNext()
    {
        String text = new String(ObjectsEnvelope.bytes(false, Optional.empty(), List.of()), StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("{\"more\":false,\"objects\":[]}");
    }
}
