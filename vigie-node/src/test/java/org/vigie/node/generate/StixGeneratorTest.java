package org.vigie.node.generate;

import org.junit.jupiter.api.Test;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.stix.validation.StixValidator;
import org.vigie.stix.validation.Violation;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class StixGeneratorTest
{
    @Test
    void sameSeedGivesSameObjects()
    {
        long seed = new Random().nextLong();
        assertThat(StixGenerator.create(seed).next(500))
                .as("seed %s", seed)
                .isEqualTo(StixGenerator.create(seed).next(500));
        assertThat(StixGenerator.create(seed).next(50)).isNotEqualTo(StixGenerator.create(seed + 1).next(50));
    }

    @Test
    void objectsAreValidRealisticAndReferenceEarlierObjects()
    {
        long seed = new Random().nextLong();
        StixValidator validator = StixValidator.create();
        StixGenerator generator = StixGenerator.create(seed);
        Set<String> seenIds = new HashSet<>();
        Set<String> versions = new HashSet<>();
        Map<String, Integer> types = new TreeMap<>();
        Set<String> patternObservables = new HashSet<>();
        int newVersions = 0;
        for (int i = 0; i < 5_000; i++) {
            String json = generator.next();
            JsonNode tree = StixJson.parse(json);
            List<Violation> violations = validator.validate(tree);
            assertThat(violations).as("seed %s, object %s: %s", seed, i, json).isEmpty();
            StixObject object = StixObject.fromTree(tree, json);
            types.merge(object.type(), 1, Integer::sum);
            assertThat(versions.add(object.id() + "@" + object.version())).as("unique version of %s", object.id()).isTrue();
            if (!seenIds.add(object.id())) {
                newVersions++;
            }
            for (String reference : references(tree)) {
                assertThat(seenIds).as("seed %s: %s refers to %s generated before it", seed, object.id(), reference).contains(reference);
            }
            if (object.type().equals("indicator")) {
                String pattern = tree.get("pattern").asString();
                patternObservables.add(pattern.substring(1, pattern.indexOf(':')));
            }
        }
        assertThat(types.keySet()).contains("identity", "threat-actor", "intrusion-set", "campaign", "malware", "attack-pattern",
                "indicator", "relationship", "sighting", "report");
        assertThat(patternObservables).contains("ipv4-addr", "domain-name", "url", "file", "email-addr");
        assertThat(types.get("indicator")).isGreaterThan(types.get("relationship"));
        assertThat(newVersions).as("some indicators get a later version").isPositive();
    }

    @Test
    void bundleHoldsTheRequestedNumberOfObjects()
            throws Exception
    {
        int count = 1 + new Random().nextInt(300);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        StixGenerator.create(7).writeBundle(out, count);
        JsonNode bundle = StixJson.parse(out.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(bundle.get("type").asString()).isEqualTo("bundle");
        assertThat(bundle.get("objects").size()).isEqualTo(count);
        assertThat(StixValidator.create().validateBundle(bundle)).isEmpty();
    }

    private static List<String> references(JsonNode tree)
    {
        List<String> references = new ArrayList<>();
        for (String property : List.of("created_by_ref", "source_ref", "target_ref", "sighting_of_ref")) {
            if (tree.has(property)) {
                references.add(tree.get(property).asString());
            }
        }
        for (String property : List.of("object_refs", "where_sighted_refs")) {
            if (tree.has(property)) {
                tree.get(property).forEach(value -> references.add(value.asString()));
            }
        }
        return references;
    }
}
