package org.vigie.taxii.server;

import org.junit.jupiter.api.Test;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.store.ObjectPage;
import org.vigie.store.SerializedPage;
import org.vigie.store.StoredObject;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
    void serializedPageGivesTheSameBytesAsItsText()
    {
        // The GET path writes the store's serialized page; partners' pages are written from text: one envelope for both.
        List<StixObject> objects = List.of(
                StixObject.fromJson("{\"type\":\"note\",\"id\":\"note--8a3c1f2e-4b5d-4e6f-8a7b-9c0d1e2f3a4b\",\"spec_version\":\"2.1\",\"content\":\"Zürich – 東京 \uD83D\uDEA8\"}"),
                StixObject.fromJson("{ \"type\" : \"x-custom\", \"id\":\"x-custom--1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7a8b\", \"a\":[1, 2.50] }"));
        Instant added = Instant.parse("2026-11-23T00:00:00.000001Z");
        List<StoredObject> stored = List.of(new StoredObject(objects.get(0), added), new StoredObject(objects.get(1), added.plusNanos(1_000)));
        for (ObjectPage page : List.of(new ObjectPage(stored, true, Optional.of("cursor")), new ObjectPage(stored.subList(0, 1), false, Optional.empty()),
                new ObjectPage(List.of(), false, Optional.empty()))) {
            List<String> text = page.objects().stream().map(object -> object.object().json()).toList();
            assertThat(ObjectsEnvelope.bytes(SerializedPage.of(page))).isEqualTo(ObjectsEnvelope.bytes(page.more(), page.next(), text));
        }
    }

    @Test
    void emptyLastPageHasNoNext()
    {
        String text = new String(ObjectsEnvelope.bytes(false, Optional.empty(), List.of()), StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("{\"more\":false,\"objects\":[]}");
    }
}
