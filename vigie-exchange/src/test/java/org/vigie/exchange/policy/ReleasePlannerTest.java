package org.vigie.exchange.policy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.marking.EvaluationCode;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.exchange.marking.Pap;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.partner.TrustGroup;
import org.vigie.exchange.partner.TrustGroupKind;
import org.vigie.exchange.testing.TestPartners;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Worked examples of the documented release decisions; the model test covers the rules at large. */
class ReleasePlannerTest
{
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final String POLICY = """
            {"name": "example", "rules": [
              {"name": "forum gets green", "effect": "allow", "groups": ["forum"], "max_tlp": "green"},
              {"name": "alpha gets amber indicators", "effect": "allow", "partners": ["alpha"], "types": ["indicator", "malware", "relationship", "report"], "max_tlp": "red"},
              {"name": "nothing tagged internal", "effect": "deny", "all_partners": true, "labels": ["internal"]}
            ]}""";

    private Partner alpha;
    private Partner beta;
    private PartnerRegistry registry;

    @BeforeEach
    void setUp()
    {
        alpha = TestPartners.partner("alpha", TestPartners.newKey("alpha"));
        beta = TestPartners.partner("beta", TestPartners.newKey("beta"));
        registry = PartnerRegistry.inMemory();
        registry.putPartner(alpha);
        registry.putPartner(beta);
        registry.putGroup(new TrustGroup("forum", "Forum", TrustGroupKind.MULTILATERAL, List.of("alpha", "beta")));
    }

    @Test
    void relationshipToWithheldObjectIsWithheldAndReportKeepsOnlyReleasedRefs()
    {
        JsonNode green = object("indicator", "11", Tlp.GREEN, "");
        JsonNode amber = object("malware", "22", Tlp.AMBER, "");
        JsonNode relationship = relationship("33", green, amber, Tlp.GREEN);
        ObjectNode report = object("report", "44", Tlp.GREEN, "");
        report.putArray("object_refs").add(id(green)).add(id(amber)).add(id(relationship));

        ReleasePlan toBeta = planner(Map.of()).plan(items(green, amber, relationship, report), beta);

        assertThat(toBeta.releasedObjectIds()).containsExactly(id(green), id(report));
        assertThat(decision(toBeta, relationship).reason()).isEqualTo(DecisionReason.REQUIRED_REFERENCE_WITHHELD);
        assertThat(decision(toBeta, amber).reason()).isEqualTo(DecisionReason.NO_RULE_ALLOWS);
        JsonNode releasedReport = toBeta.objects().get(1);
        assertThat(releasedReport.get("object_refs").values()).extracting(JsonNode::stringValue).containsExactly(id(green));
        assertThat(toBeta.withheldReferences()).containsExactly(
                new WithheldReference(id(report), "object_refs", id(amber)),
                new WithheldReference(id(report), "object_refs", id(relationship)));
        // The offered object itself is untouched.
        assertThat(report.get("object_refs")).hasSize(3);

        ReleasePlan toAlpha = planner(Map.of()).plan(items(green, amber, relationship, report), alpha);
        assertThat(toAlpha.releasedObjectIds()).containsExactly(id(green), id(amber), id(relationship), id(report));
        assertThat(toAlpha.withheldReferences()).isEmpty();
    }

    @Test
    void receivedAmberStrictOrH2GoesBackOnlyToItsOrigin()
    {
        ObjectNode h2 = VigieMarking.empty().withHandling(HandlingCode.H2, Optional.empty()).toMarkingDefinition(NOW, alpha.identityId());
        ObjectNode fromAlpha = object("indicator", "55", Tlp.GREEN, "");
        fromAlpha.withArray("object_marking_refs").add(h2.get("id").stringValue());
        JsonNode strictFromBeta = object("indicator", "66", Tlp.AMBER_STRICT, "");
        ReleasePlanner planner = planner(Map.of(id(fromAlpha), "alpha", id(strictFromBeta), "beta"), h2);

        ReleasePlan toBeta = planner.plan(items(fromAlpha, strictFromBeta), beta);
        ReleasePlan toAlpha = planner.plan(items(fromAlpha, strictFromBeta), alpha);

        assertThat(decision(toBeta, fromAlpha).reason()).isEqualTo(DecisionReason.RECEIVED_NOT_FOR_THIRD_PARTY);
        assertThat(decision(toBeta, fromAlpha).explanation()).contains("alpha", "H2");
        assertThat(decision(toAlpha, fromAlpha).reason()).isEqualTo(DecisionReason.ALLOWED_BY_RULE);
        assertThat(decision(toAlpha, strictFromBeta).reason()).isEqualTo(DecisionReason.RECEIVED_NOT_FOR_THIRD_PARTY);
        // The H2 marking-definition travels with the object that references it.
        assertThat(toAlpha.objects()).contains(h2);
    }

    @Test
    void redGoesOnlyToNamedRecipients()
    {
        ObjectNode named = VigieMarking.empty().withRecipients(List.of(alpha.identityId())).toMarkingDefinition(NOW, beta.identityId());
        ObjectNode red = object("indicator", "77", Tlp.RED, "");
        red.withArray("object_marking_refs").add(named.get("id").stringValue());
        JsonNode redUnnamed = object("indicator", "88", Tlp.RED, "");
        ReleasePlanner planner = planner(Map.of(), named);

        assertThat(decision(planner.plan(items(red, redUnnamed), alpha), red).reason()).isEqualTo(DecisionReason.ALLOWED_BY_RULE);
        assertThat(decision(planner.plan(items(red, redUnnamed), alpha), redUnnamed).reason()).isEqualTo(DecisionReason.RED_WITHOUT_NAMED_RECIPIENTS);
        assertThat(decision(planner.plan(items(red), beta), red).reason()).isEqualTo(DecisionReason.NOT_A_NAMED_RECIPIENT);
    }

    @Test
    void denyRuleOverridesAllowAndExpiredMarkingsWithhold()
    {
        JsonNode internal = object("indicator", "99", Tlp.GREEN, "internal");
        ObjectNode expiry = VigieMarking.empty().withExpires(NOW).toMarkingDefinition(NOW, alpha.identityId());
        ObjectNode expired = object("indicator", "aa", Tlp.GREEN, "");
        expired.withArray("object_marking_refs").add(expiry.get("id").stringValue());
        ReleasePlan plan = planner(Map.of(), expiry).plan(items(internal, expired), beta);

        assertThat(decision(plan, internal).reason()).isEqualTo(DecisionReason.DENIED_BY_RULE);
        assertThat(decision(plan, internal).ruleName()).contains("nothing tagged internal");
        assertThat(decision(plan, expired).reason()).isEqualTo(DecisionReason.EXPIRED);
        assertThat(plan.objects()).isEmpty();
    }

    @Test
    void policyRoundTripsThroughJsonAndRejectsTypos()
    {
        ReleasePolicy policy = ReleasePolicy.fromJson(POLICY);

        assertThat(ReleasePolicy.fromJson(policy.toJson())).isEqualTo(policy);
        assertThat(policy.rules()).extracting(ReleaseRule::name).containsExactly("forum gets green", "alpha gets amber indicators", "nothing tagged internal");
        assertThatThrownBy(() -> ReleasePolicy.fromJson("{\"name\":\"p\",\"rules\":[{\"name\":\"r\",\"effect\":\"allow\",\"all_partners\":true,\"type\":[\"indicator\"]}]}"))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("unknown property 'type'");
        assertThatThrownBy(() -> ReleasePolicy.fromJson("{\"name\":\"p\",\"rules\":[{\"name\":\"r\",\"effect\":\"allow\"}]}"))
                .hasMessageContaining("no audience");
        assertThatThrownBy(() -> ReleasePolicy.fromJson("{\"name\":\"p\",\"rules\":[{\"name\":\"r\",\"effect\":\"allow\",\"all_partners\":true,\"max_tlp\":\"purple\"}]}"))
                .hasMessageContaining("max_tlp 'purple'");
    }

    @Test
    void rulesSelectOnPapAndEvaluationCode()
    {
        String policy = """
                {"name": "evaluated", "rules": [
                  {"name": "reliable and confirmed, few actions", "effect": "allow", "partners": ["alpha"], "max_pap": "green", "min_reliability": "B", "min_credibility": 2},
                  {"name": "nothing evaluated to beta", "effect": "deny", "partners": ["beta"], "min_reliability": "F"}
                ]}""";
        ObjectNode goodGreen = VigieMarking.empty().withPap(Pap.GREEN).withEvaluation(EvaluationCode.parse("A2")).toMarkingDefinition(NOW, alpha.identityId());
        ObjectNode amberPap = VigieMarking.empty().withPap(Pap.AMBER).withEvaluation(EvaluationCode.parse("A1")).toMarkingDefinition(NOW, alpha.identityId());
        ObjectNode weakSource = VigieMarking.empty().withPap(Pap.CLEAR).withEvaluation(EvaluationCode.parse("C1")).toMarkingDefinition(NOW, alpha.identityId());
        ObjectNode doubtful = VigieMarking.empty().withPap(Pap.CLEAR).withEvaluation(EvaluationCode.parse("B3")).toMarkingDefinition(NOW, alpha.identityId());
        ObjectNode released = marked(object("indicator", "51", Tlp.GREEN, ""), goodGreen);
        ObjectNode tooManyActions = marked(object("indicator", "52", Tlp.GREEN, ""), amberPap);
        ObjectNode lessReliable = marked(object("indicator", "53", Tlp.GREEN, ""), weakSource);
        ObjectNode lessCredible = marked(object("indicator", "54", Tlp.GREEN, ""), doubtful);
        ObjectNode unevaluated = object("indicator", "55", Tlp.GREEN, "");
        ReleasePlanner planner = ReleasePlanner.create(ReleaseDecider.of(ReleasePolicy.fromJson(policy)), registry,
                MarkingResolver.of(List.of(goodGreen, amberPap, weakSource, doubtful), Map.of()), InstantSource.fixed(NOW));

        ReleasePlan plan = planner.plan(items(released, tooManyActions, lessReliable, lessCredible, unevaluated), alpha);

        assertThat(plan.releasedObjectIds()).as(plan.decisions().toString()).containsExactly(id(released));
        assertThat(decision(plan, released).ruleName()).contains("reliable and confirmed, few actions");
        for (JsonNode withheld : List.of(tooManyActions, lessReliable, lessCredible, unevaluated)) {
            assertThat(decision(plan, withheld).reason()).as(id(withheld)).isEqualTo(DecisionReason.NO_RULE_ALLOWS);
        }
        assertThat(ReleasePolicy.fromJson(policy).toJson().toString()).contains("\"max_pap\":\"green\"", "\"min_reliability\":\"B\"", "\"min_credibility\":2");
        // "At least F" selects every evaluated object and nothing unevaluated.
        ReleasePlan toBeta = planner.plan(items(released, unevaluated), beta);
        assertThat(decision(toBeta, released).reason()).isEqualTo(DecisionReason.DENIED_BY_RULE);
        assertThat(decision(toBeta, unevaluated).reason()).isEqualTo(DecisionReason.NO_RULE_ALLOWS);
    }

    @Test
    void papAndEvaluationConditionsAreValidated()
    {
        String rule = "{\"name\":\"p\",\"rules\":[{\"name\":\"r\",\"effect\":\"allow\",\"all_partners\":true,%s}]}";
        assertThatThrownBy(() -> ReleasePolicy.fromJson(rule.formatted("\"max_pap\":\"blue\"")))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("rules[0] ('r')").hasMessageContaining("max_pap 'blue' is not one of clear, green, amber, red");
        assertThatThrownBy(() -> ReleasePolicy.fromJson(rule.formatted("\"min_reliability\":\"G\"")))
                .hasMessageContaining("min_reliability 'G' must be one capital letter A (completely reliable) to F (cannot be judged)");
        assertThatThrownBy(() -> ReleasePolicy.fromJson(rule.formatted("\"min_reliability\":\"AB\"")))
                .hasMessageContaining("min_reliability 'AB'");
        assertThatThrownBy(() -> ReleasePolicy.fromJson(rule.formatted("\"min_credibility\":7")))
                .hasMessageContaining("min_credibility 7 must be a whole number 1 (confirmed) to 6 (cannot be judged)");
        assertThatThrownBy(() -> ReleasePolicy.fromJson(rule.formatted("\"min_credibility\":\"2\"")))
                .hasMessageContaining("min_credibility \"2\" must be a whole number");
        assertThatThrownBy(() -> ReleasePolicy.fromJson(rule.formatted("\"min_credibility\":1.5")))
                .hasMessageContaining("min_credibility 1.5 must be a whole number");
        assertThatThrownBy(() -> ReleasePolicy.fromJson(rule.formatted("\"min_evaluation\":\"B2\"")))
                .hasMessageContaining("unknown property 'min_evaluation'");
    }

    private static ObjectNode marked(ObjectNode object, JsonNode definition)
    {
        ((tools.jackson.databind.node.ArrayNode) object.get("object_marking_refs")).add(id(definition));
        return object;
    }

    private ReleasePlanner planner(Map<String, String> origins, JsonNode... definitions)
    {
        return ReleasePlanner.create(ReleaseDecider.of(ReleasePolicy.fromJson(POLICY)), registry, MarkingResolver.of(List.of(definitions), origins), InstantSource.fixed(NOW));
    }

    private static List<ReleaseItem> items(JsonNode... objects)
    {
        return java.util.Arrays.stream(objects).map(object -> ReleaseItem.of(object, "collection-a")).toList();
    }

    private static ReleaseDecision decision(ReleasePlan plan, JsonNode object)
    {
        return plan.decisions().stream().filter(decision -> decision.objectId().equals(id(object))).findFirst().orElseThrow();
    }

    private static String id(JsonNode object)
    {
        return object.get("id").stringValue();
    }

    private static ObjectNode object(String type, String suffix, Tlp tlp, String label)
    {
        ObjectNode object = (ObjectNode) StixJson.parse("{\"type\":\"" + type + "\",\"spec_version\":\"2.1\",\"id\":\"" + type + "--00000000-0000-4000-8000-0000000000" + suffix + "\"}");
        object.putArray("object_marking_refs").add(tlp.markingId());
        if (!label.isEmpty()) {
            object.putArray("labels").add(label);
        }
        return object;
    }

    private static JsonNode relationship(String suffix, JsonNode source, JsonNode target, Tlp tlp)
    {
        ObjectNode relationship = object("relationship", suffix, tlp, "");
        relationship.put("relationship_type", "indicates");
        relationship.put("source_ref", id(source));
        relationship.put("target_ref", id(target));
        return relationship;
    }
}
