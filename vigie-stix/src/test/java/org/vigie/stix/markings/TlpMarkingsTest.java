package org.vigie.stix.markings;

import org.junit.jupiter.api.Test;
import org.vigie.stix.markings.TlpMarkings.Tlp;
import org.vigie.stix.validation.StixValidator;
import tools.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TlpMarkingsTest
{
    @Test
    void version2MarkingsAreValidAndCarryTheExtension()
    {
        StixValidator validator = StixValidator.create();
        Set<String> ids = new HashSet<>();
        for (Tlp tlp : Tlp.values()) {
            JsonNode tree = tlp.tree();
            assertThat(validator.validate(tree)).isEmpty();
            assertThat(tree.get("id").stringValue()).isEqualTo(tlp.id());
            assertThat(tree.get("name").stringValue()).isEqualTo("TLP:" + tlp.level().toUpperCase(java.util.Locale.ROOT));
            assertThat(tree.at("/extensions/" + TlpMarkings.TLP_2_EXTENSION_DEFINITION_ID + "/tlp_2_0").stringValue()).isEqualTo(tlp.level());
            assertThat(Tlp.fromMarkingId(tlp.id())).contains(tlp);
            ids.add(tlp.id());
        }
        assertThat(ids).hasSize(Tlp.values().length);
    }

    @Test
    void version1MarkingsAreRecognised()
    {
        StixValidator validator = StixValidator.create();
        for (String color : new String[] {"white", "green", "amber", "red"}) {
            String id = TlpMarkings.version1MarkingId(color).orElseThrow();
            assertThat(TlpMarkings.isVersion1MarkingId(id)).isTrue();
            assertThat(validator.validate(org.vigie.stix.json.StixJson.parse(TlpMarkings.version1Json(color).orElseThrow()))).isEmpty();
            Tlp level = TlpMarkings.fromMarkingId(id).orElseThrow();
            assertThat(level.version1Id()).contains(id);
        }
        assertThat(TlpMarkings.fromMarkingId(TlpMarkings.version1MarkingId("white").orElseThrow())).contains(Tlp.CLEAR);
        assertThat(Tlp.AMBER_STRICT.version1Id()).isEmpty();
        assertThat(TlpMarkings.fromMarkingId("marking-definition--2b0a5b6e-9b1f-4c5e-8f2a-6f0f8f6e4a11")).isEmpty();
    }
}
