package org.vigie.stix.validation;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.vigie.stix.ObjectCategory;
import org.vigie.stix.StixTypes;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class StixValidatorTest
{
    private static final StixValidator VALIDATOR = StixValidator.create();

    static List<JsonNode> specExamples()
    {
        try (InputStream in = StixValidatorTest.class.getResourceAsStream("/spec-examples/objects.json")) {
            JsonNode array = StixJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<JsonNode> examples = new ArrayList<>();
            array.forEach(examples::add);
            return examples;
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void examplesCoverEveryType()
    {
        Set<String> covered = new HashSet<>();
        specExamples().forEach(example -> covered.add(example.get("type").stringValue()));
        Set<String> all = new HashSet<>();
        all.addAll(StixTypes.SDO_TYPES);
        all.addAll(StixTypes.SRO_TYPES);
        all.addAll(StixTypes.SCO_TYPES);
        all.addAll(StixTypes.META_TYPES);
        assertThat(covered).containsExactlyInAnyOrderElementsOf(all);
    }

    @TestFactory
    Stream<DynamicTest> specExamplesValidate()
    {
        return specExamples().stream().map(example -> DynamicTest.dynamicTest(example.get("id").stringValue(),
                () -> assertThat(VALIDATOR.validate(example)).isEmpty()));
    }

    @TestFactory
    Stream<DynamicTest> removingEachRequiredPropertyFails()
    {
        return specExamples().stream().flatMap(example -> {
            String type = example.get("type").stringValue();
            return TypeSpecs.forType(type).required().stream().map(property -> DynamicTest.dynamicTest(type + " without " + property, () -> {
                ObjectNode mutated = (ObjectNode) example.deepCopy();
                mutated.remove(property);
                assertThat(VALIDATOR.validate(mutated))
                        .anySatisfy(violation -> {
                            assertThat(violation.rule()).isEqualTo(Rules.REQUIRED_PROPERTY);
                            assertThat(violation.property()).isEqualTo(property);
                        });
            }));
        });
    }

    @TestFactory
    Stream<DynamicTest> identifierMutationsFail()
    {
        return specExamples().stream().flatMap(example -> {
            String id = example.get("id").stringValue();
            String uuid = id.substring(id.indexOf("--") + 2);
            String otherType = example.get("type").stringValue().equals("tool") ? "malware" : "tool";
            return Stream.of(
                    DynamicTest.dynamicTest(id + " with another type prefix", () -> assertRule(with(example, "id", otherType + "--" + uuid), Rules.IDENTIFIER_TYPE_PREFIX, "id")),
                    DynamicTest.dynamicTest(id + " with a bad UUID", () -> assertRule(with(example, "id", example.get("type").stringValue() + "--1234"), Rules.IDENTIFIER_FORMAT, "id")),
                    DynamicTest.dynamicTest(id + " with a bad spec_version", () -> assertRule(with(example, "spec_version", "2.0"), Rules.SPEC_VERSION, "spec_version")),
                    DynamicTest.dynamicTest(id + " with a bad custom property name", () -> assertRule(with(example, "x-bad-name", "value"), Rules.PROPERTY_NAME, "x-bad-name")),
                    DynamicTest.dynamicTest(id + " with a specification reference that is no identifier", () ->
                            assertRule(with(example, "object_marking_refs", List.of("nothing")), Rules.IDENTIFIER_FORMAT, "object_marking_refs")),
                    DynamicTest.dynamicTest(id + " with a custom reference that is no identifier", () -> {
                        // Custom properties are not bound by the reference rules: a warning, not a violation.
                        ObjectNode mutated = with(with(example, "x_vigie_ref", "nothing"), "x_vigie_refs", List.of("", "nothing"));
                        assertThat(VALIDATOR.validate(mutated)).isEqualTo(VALIDATOR.validate(example));
                        assertThat(VALIDATOR.warnings(mutated))
                                .extracting(Violation::property, Violation::rule, Violation::objectId)
                                .containsExactly(tuple("x_vigie_ref", Rules.CUSTOM_REFERENCE, id), tuple("x_vigie_refs", Rules.CUSTOM_REFERENCE, id),
                                        tuple("x_vigie_refs", Rules.CUSTOM_REFERENCE, id));
                        assertThat(VALIDATOR.warnings(example)).isEmpty();
                    }));
        });
    }

    @TestFactory
    Stream<DynamicTest> identifiersAcceptEveryRfcUuidVersionAndRejectOthers()
    {
        // Version nibble at index 14, variant nibble at index 19 of the UUID.
        String template = "0190f4d2-7c1a-%c9b2-%c3d4-0a1b2c3d4e5f";
        List<DynamicTest> tests = new ArrayList<>();
        for (char version : "0123456789abcdef".toCharArray()) {
            for (char variant : "0123456789abcdef".toCharArray()) {
                String id = "indicator--" + String.format(template, version, variant);
                boolean rfcVersion = version >= '1' && version <= '8';
                boolean rfcVariant = variant == '8' || variant == '9' || variant == 'a' || variant == 'b';
                tests.add(DynamicTest.dynamicTest(id, () -> {
                    List<Violation> violations = VALIDATOR.validate(with(example("indicator"), "id", id));
                    if (rfcVersion && rfcVariant) {
                        assertThat(violations).isEmpty();
                    }
                    else {
                        assertThat(violations).extracting(Violation::rule).containsExactly(Rules.IDENTIFIER_FORMAT);
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void uuidVersion7IdentifiersAreAcceptedAndMalformedOnesRejected()
    {
        // A UUIDv7 as RFC 9562 appendix A.6 shows it, in an id and in references.
        String version7 = "017f22e2-79b0-7cc3-98c4-dc0c0c07398f";
        ObjectNode relationship = with(with(example("relationship"), "id", "relationship--" + version7), "source_ref", "malware--" + version7);
        assertThat(VALIDATOR.validate(relationship)).isEmpty();
        for (String malformed : List.of("017f22e2-79b0-7cc3-98c4-dc0c0c07398", "017f22e2-79b0-7cc3-98c4-dc0c0c07398f0", "017f22e279b0-7cc3-98c4-dc0c0c07398f-",
                "017f22e2-79b0-7cc3-98c4-dc0c0c07398g", "017F22E2-79B0-7CC3-98C4-DC0C0C07398F ", "{017f22e2-79b0-7cc3-98c4-dc0c0c07398f}")) {
            assertRule(with(relationship, "source_ref", "malware--" + malformed), Rules.IDENTIFIER_FORMAT, "source_ref");
        }
    }

    @TestFactory
    Stream<DynamicTest> timestampMutationsFail()
    {
        return specExamples().stream()
                .filter(example -> StixTypes.category(example.get("type").stringValue()) != ObjectCategory.SCO)
                .flatMap(example -> {
                    String id = example.get("id").stringValue();
                    String created = example.get("created").stringValue();
                    List<DynamicTest> tests = new ArrayList<>();
                    tests.add(DynamicTest.dynamicTest(id + " with a timestamp without Z", () ->
                            assertRule(with(example, "created", created.substring(0, created.length() - 1)), Rules.TIMESTAMP_FORMAT, "created")));
                    tests.add(DynamicTest.dynamicTest(id + " with an impossible date", () ->
                            assertRule(with(example, "created", "2016-02-30T00:00:00.000Z"), Rules.TIMESTAMP_FORMAT, "created")));
                    tests.add(DynamicTest.dynamicTest(id + " with created in seconds", () ->
                            assertRule(with(example, "created", created.substring(0, 19) + "Z"), Rules.TIMESTAMP_PRECISION, "created")));
                    if (example.has("modified")) {
                        tests.add(DynamicTest.dynamicTest(id + " modified before created", () ->
                                assertRule(with(example, "modified", "2000-01-01T00:00:00.000Z"), Rules.MODIFIED_BEFORE_CREATED, "modified")));
                    }
                    return tests.stream();
                });
    }

    @TestFactory
    Stream<DynamicTest> referencesToWrongTypesFail()
    {
        return specExamples().stream().flatMap(example -> {
            String type = example.get("type").stringValue();
            TypeSpec spec = TypeSpecs.forType(type);
            List<DynamicTest> tests = new ArrayList<>();
            for (Map.Entry<String, JsonNode> property : example.properties()) {
                PropertySpec propertySpec = spec.properties().get(property.getKey());
                if (propertySpec == null || (propertySpec.kind() != Kind.IDENTIFIER && propertySpec.kind() != Kind.IDENTIFIER_LIST)) {
                    continue;
                }
                String wrongType = Stream.of("bundle", "language-content", "x509-certificate", "relationship")
                        .filter(candidate -> !propertySpec.target().allows(candidate)).findFirst().orElseThrow();
                String wrongReference = wrongType + "--2b0a5b6e-9b1f-4c5e-8f2a-6f0f8f6e4a11";
                tests.add(DynamicTest.dynamicTest(type + "." + property.getKey() + " to " + wrongType, () -> {
                    ObjectNode mutated = (ObjectNode) example.deepCopy();
                    if (propertySpec.kind() == Kind.IDENTIFIER) {
                        mutated.put(property.getKey(), wrongReference);
                    }
                    else {
                        ((ArrayNode) mutated.get(property.getKey())).add(wrongReference);
                    }
                    assertRule(mutated, Rules.REFERENCE_TYPE, property.getKey());
                }));
            }
            return tests.stream();
        });
    }

    @Test
    void relationshipRules()
    {
        JsonNode relationship = example("relationship");
        assertRule(with(relationship, "source_ref", "relationship--2b0a5b6e-9b1f-4c5e-8f2a-6f0f8f6e4a11"), Rules.REFERENCE_TYPE, "source_ref");
        assertRule(with(relationship, "relationship_type", "Indicates"), Rules.RELATIONSHIP_RULE, "relationship_type");
        ObjectNode timed = with(relationship, "start_time", "2016-01-01T00:00:00Z");
        timed.put("stop_time", "2015-01-01T00:00:00Z");
        assertRule(timed, Rules.RELATIONSHIP_RULE, "stop_time");
        // A relationship may point at custom objects (as ATT&CK's x-mitre-* objects are).
        assertThat(VALIDATOR.validate(with(relationship, "target_ref", "x-mitre-tactic--2b0a5b6e-9b1f-4c5e-8f2a-6f0f8f6e4a11"))).isEmpty();
    }

    @Test
    void sightingRules()
    {
        JsonNode sighting = example("sighting");
        assertRule(with(sighting, "last_seen", "2015-12-20T19:00:00Z"), Rules.SIGHTING_RULE, "last_seen");
        assertRule(with(sighting, "sighting_of_ref", "relationship--2b0a5b6e-9b1f-4c5e-8f2a-6f0f8f6e4a11"), Rules.REFERENCE_TYPE, "sighting_of_ref");
        ObjectNode counted = with(sighting, "count", "many");
        assertRule(counted, Rules.PROPERTY_TYPE, "count");
        counted.put("count", 1_000_000_000);
        assertRule(counted, Rules.VALUE_RANGE, "count");
    }

    @Test
    void typeSpecificRules()
    {
        assertRule(with(example("indicator"), "valid_until", "2015-01-01T00:00:00Z"), Rules.TIME_ORDER, "valid_until");
        assertRule(with(example("malware"), "is_family", "yes"), Rules.PROPERTY_TYPE, "is_family");
        ObjectNode family = with(example("malware"), "is_family", true);
        family.remove("name");
        assertRule(family, Rules.REQUIRED_PROPERTY, "name");
        assertRule(with(example("opinion"), "opinion", "maybe"), Rules.ENUMERATION, "opinion");
        assertRule(with(example("identity"), "confidence", 101), Rules.VALUE_RANGE, "confidence");
        assertRule(with(example("identity"), "labels", StixJson.mapper().createArrayNode()), Rules.EMPTY_LIST, "labels");
        assertRule(with(example("marking-definition"), "id", "marking-definition--2b0a5b6e-9b1f-4c5e-8f2a-6f0f8f6e4a11"), Rules.TLP_MARKING, "id");
        assertRule(with(example("file"), "parent_directory_ref", "file--2b0a5b6e-9b1f-4c5e-8f2a-6f0f8f6e4a11"), Rules.REFERENCE_TYPE, "parent_directory_ref");
        assertRule(with(example("network-traffic"), "dst_port", 70000), Rules.VALUE_RANGE, "dst_port");
        assertRule(with(example("email-message"), "body_multipart", StixJson.parse("[{\"body\":\"x\"}]")), Rules.MUTUALLY_EXCLUSIVE, "body_multipart");
        assertRule(with(example("artifact"), "url", "https://example.com/a.zip"), Rules.MUTUALLY_EXCLUSIVE, "url");
        assertRule(with(example("attack-pattern"), "external_references", StixJson.parse("[{\"source_name\":\"capec\"}]")), Rules.EXTERNAL_REFERENCE, "external_references[0]");
        assertRule(with(example("campaign"), "granular_markings", StixJson.parse("[{\"selectors\":[\"name\"]}]")), Rules.GRANULAR_MARKING, "granular_markings[0]");
        ObjectNode location = (ObjectNode) example("location").deepCopy();
        location.remove("region");
        location.remove("country");
        assertRule(location, Rules.REQUIRED_PROPERTY, "-");
    }

    @Test
    void scoIdentifierMustBeTheDeterministicOneWhenItIsVersion5()
    {
        JsonNode address = example("ipv4-addr");
        assertRule(with(address, "value", "198.51.100.4"), Rules.SCO_IDENTIFIER, "id");
        // A UUIDv4 id is allowed: the specification says producers SHOULD use UUIDv5.
        assertThat(VALIDATOR.validate(with(with(address, "value", "198.51.100.4"), "id", "ipv4-addr--2b0a5b6e-9b1f-4c5e-8f2a-6f0f8f6e4a11"))).isEmpty();
    }

    @Test
    void customObjectsPropertiesAndExtensionsAreAccepted()
    {
        ObjectNode custom = (ObjectNode) StixJson.parse("""
                {"type":"x-vigie-thing","spec_version":"2.1","id":"x-vigie-thing--2b0a5b6e-9b1f-4c5e-8f2a-6f0f8f6e4a11",
                 "created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","x_vigie_score":12.50,
                 "extensions":{"extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62":{"extension_type":"new-sdo","rank":1}}}""");
        assertThat(VALIDATOR.validate(custom)).isEmpty();
        assertThat(VALIDATOR.validate(with(example("indicator"), "x_vigie_note", "kept"))).isEmpty();
        custom.remove("modified");
        assertRule(custom, Rules.REQUIRED_PROPERTY, "modified");
    }

    @Test
    void violationNamesObjectPropertyAndRule()
    {
        ObjectNode indicator = (ObjectNode) example("indicator").deepCopy();
        indicator.remove("pattern_type");
        assertThat(VALIDATOR.validate(indicator)).singleElement().hasToString(indicator.get("id").stringValue()
                + ": pattern_type: required-property: property 'pattern_type' is required for indicator");
    }

    @Test
    void bundleRules()
    {
        ObjectNode bundle = StixJson.mapper().createObjectNode();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--2b0a5b6e-9b1f-4c5e-8f2a-6f0f8f6e4a11");
        ArrayNode objects = bundle.putArray("objects");
        specExamples().forEach(objects::add);
        assertThat(VALIDATOR.validateBundle(bundle)).isEmpty();
        assertThat(VALIDATOR.validate(bundle)).isEmpty();

        ObjectNode broken = (ObjectNode) objects.get(0);
        broken.remove("name");
        assertThat(VALIDATOR.validateBundle(bundle)).singleElement().satisfies(violation -> {
            assertThat(violation.objectId()).isEqualTo(broken.get("id").stringValue());
            assertThat(violation.rule()).isEqualTo(Rules.REQUIRED_PROPERTY);
        });
        assertRule(with(bundle, "id", "report--2b0a5b6e-9b1f-4c5e-8f2a-6f0f8f6e4a11"), Rules.IDENTIFIER_TYPE_PREFIX, "id");
    }

    @Test
    void nonObjectsAreReportedNotThrown()
    {
        assertThat(VALIDATOR.validate(StixJson.parse("[1,2]"))).singleElement().extracting(Violation::rule).isEqualTo(Rules.JSON_TYPE);
        assertThat(VALIDATOR.validateBundle(StixJson.parse("\"bundle\""))).singleElement().extracting(Violation::rule).isEqualTo(Rules.JSON_TYPE);
    }

    static JsonNode example(String type)
    {
        return specExamples().stream().filter(example -> example.get("type").stringValue().equals(type)).findFirst().orElseThrow();
    }

    private static ObjectNode with(JsonNode object, String property, Object value)
    {
        ObjectNode copy = (ObjectNode) object.deepCopy();
        copy.set(property, StixJson.mapper().valueToTree(value));
        return copy;
    }

    private static void assertRule(JsonNode object, String rule, String property)
    {
        List<Violation> violations = VALIDATOR.validate(object);
        assertThat(violations)
                .as("violations of %s", object)
                .anySatisfy(violation -> {
                    assertThat(violation.rule()).isEqualTo(rule);
                    assertThat(violation.property()).isEqualTo(property);
                });
    }
}
