package org.vigie.exchange.marking;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MarkingsTest
{
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final String OWN_IDENTITY = "identity--0c1e2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
    private static final String RECIPIENT_A = "identity--11111111-1111-4111-8111-111111111111";
    private static final String RECIPIENT_B = "identity--22222222-2222-4222-8222-222222222222";

    @Test
    void readsWellKnownTlpIdsOfBothVersionsAndKeepsTheMostRestrictive()
    {
        for (Tlp tlp : Tlp.values()) {
            assertThat(markings(object(tlp.markingId())).tlp()).contains(tlp);
            tlp.tlp1MarkingId().ifPresent(id -> assertThat(markings(object(id)).tlp()).contains(tlp));
        }
        assertThat(markings(object(Tlp.GREEN.markingId(), Tlp.AMBER_STRICT.markingId(), Tlp.AMBER.tlp1MarkingId().orElseThrow())).tlp())
                .contains(Tlp.AMBER_STRICT);
        assertThat(markings(object()).tlp()).isEmpty();
    }

    @Test
    void readsTlpFromDefinitionsOfEitherForm()
    {
        JsonNode tlp2 = StixJson.parse("{\"type\":\"marking-definition\",\"id\":\"marking-definition--aaaaaaaa-0000-4000-8000-000000000001\","
                + "\"extensions\":{\"" + Tlp.TLP_2_EXTENSION_ID + "\":{\"extension_type\":\"property-extension\",\"tlp_2_0\":\"amber+strict\"}}}");
        JsonNode tlp1 = StixJson.parse("{\"type\":\"marking-definition\",\"id\":\"marking-definition--aaaaaaaa-0000-4000-8000-000000000002\","
                + "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"white\"}}");
        MarkingResolver resolver = MarkingResolver.of(List.of(tlp2, tlp1), Map.of());

        assertThat(Markings.of(object("marking-definition--aaaaaaaa-0000-4000-8000-000000000001"), resolver).tlp()).contains(Tlp.AMBER_STRICT);
        assertThat(Markings.of(object("marking-definition--aaaaaaaa-0000-4000-8000-000000000002"), resolver).tlp()).contains(Tlp.CLEAR);
    }

    @Test
    void vigieMarkingRoundTripsThroughItsMarkingDefinition()
    {
        VigieMarking marking = VigieMarking.empty()
                .withHandling(HandlingCode.H3, Optional.of("not for the press"))
                .withPap(Pap.AMBER)
                .withEvaluation(EvaluationCode.parse("B2"))
                .withRecipients(List.of(RECIPIENT_B, RECIPIENT_A))
                .withExpires(Instant.parse("2026-12-31T00:00:00Z"));
        ObjectNode definition = marking.toMarkingDefinition(CREATED, OWN_IDENTITY);

        assertThat(VigieMarking.fromMarkingDefinition(definition)).contains(marking);
        assertThat(marking.recipients()).contains(List.of(RECIPIENT_A, RECIPIENT_B));
        // Content-derived id: the same marking always gets the same id.
        assertThat(marking.toMarkingDefinition(CREATED.plusSeconds(60), OWN_IDENTITY).get("id")).isEqualTo(definition.get("id"));
        assertThat(VigieMarking.empty().withHandling(HandlingCode.H2, Optional.empty()).toMarkingDefinition(CREATED, OWN_IDENTITY).get("id"))
                .isNotEqualTo(definition.get("id"));
    }

    @Test
    void combinesSeveralMarkingsMostRestrictively()
    {
        ObjectNode first = VigieMarking.empty().withHandling(HandlingCode.H1, Optional.empty()).withPap(Pap.GREEN)
                .withRecipients(List.of(RECIPIENT_A, RECIPIENT_B)).withExpires(Instant.parse("2026-09-01T00:00:00Z"))
                .toMarkingDefinition(CREATED, OWN_IDENTITY);
        ObjectNode second = VigieMarking.empty().withHandling(HandlingCode.H2, Optional.empty()).withPap(Pap.RED)
                .withRecipients(List.of(RECIPIENT_B)).withExpires(Instant.parse("2026-08-01T00:00:00Z"))
                .toMarkingDefinition(CREATED, OWN_IDENTITY);
        String firstId = first.get("id").stringValue();
        String secondId = second.get("id").stringValue();
        ObjectNode object = object(Tlp.RED.markingId(), firstId);
        object.putArray("granular_markings").addObject().put("marking_ref", secondId).putArray("selectors").add("name");
        MarkingResolver resolver = MarkingResolver.of(List.of(first, second), Map.of(object.get("id").stringValue(), "partner-x"));

        Markings markings = Markings.of(object, resolver);

        assertThat(markings.tlp()).contains(Tlp.RED);
        assertThat(markings.handling()).extracting(HandlingCondition::code).containsExactly(HandlingCode.H1, HandlingCode.H2);
        assertThat(markings.pap()).contains(Pap.RED);
        assertThat(markings.recipients()).contains(List.of(RECIPIENT_B));
        assertThat(markings.expires()).contains(Instant.parse("2026-08-01T00:00:00Z"));
        assertThat(markings.originPartner()).contains("partner-x");
        assertThat(markings.markingIds()).containsExactlyInAnyOrder(Tlp.RED.markingId(), firstId, secondId);
        assertThat(markings.unresolvedMarkingIds()).isEmpty();
    }

    @Test
    void reportsUnknownMarkingsAndRejectsMalformedOnes()
    {
        String unknown = "marking-definition--99999999-0000-4000-8000-000000000000";
        assertThat(markings(object(unknown)).unresolvedMarkingIds()).containsExactly(unknown);

        ObjectNode bad = VigieMarking.empty().toMarkingDefinition(CREATED, OWN_IDENTITY);
        ((ObjectNode) bad.get("extensions").get(VigieMarking.EXTENSION_ID)).put("evaluation", "G7");
        MarkingResolver resolver = MarkingResolver.of(List.of(bad), Map.of());
        assertThatThrownBy(() -> Markings.of(object(bad.get("id").stringValue()), resolver))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STIX))
                .hasMessageContaining("evaluation");
    }

    @Test
    void extensionDefinitionHasTheFixedId()
    {
        ObjectNode definition = VigieMarking.extensionDefinition();

        assertThat(definition.get("id").stringValue()).isEqualTo(VigieMarking.EXTENSION_ID);
        assertThat(definition.get("extension_types").get(0).stringValue()).isEqualTo("property-extension");
        assertThat(definition).isEqualTo(VigieMarking.extensionDefinition());
    }

    private static Markings markings(JsonNode object)
    {
        return Markings.of(object, MarkingResolver.of(List.of(), Map.of()));
    }

    private static ObjectNode object(String... markingIds)
    {
        ObjectNode object = (ObjectNode) StixJson.parse("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"}");
        if (markingIds.length > 0) {
            var array = object.putArray("object_marking_refs");
            for (String id : markingIds) {
                array.add(id);
            }
        }
        return object;
    }
}
