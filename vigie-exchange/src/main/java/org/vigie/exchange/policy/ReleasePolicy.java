package org.vigie.exchange.policy;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.marking.Pap;
import org.vigie.exchange.marking.Tlp;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A node's declarative release policy: an ordered list of rules, default deny. The JSON form is
 * documented in docs/EXCHANGE.md; unknown properties are rejected so that a misspelt selector
 * never silently widens a rule.
 */
public record ReleasePolicy(String name, List<ReleaseRule> rules)
{
    private static final Set<String> POLICY_PROPERTIES = Set.of("name", "rules");
    private static final Set<String> RULE_PROPERTIES = Set.of(
            "name", "effect", "all_partners", "partners", "groups", "collections", "types", "labels", "max_tlp", "marking_refs", "max_pap",
            "min_reliability", "min_credibility");

    public ReleasePolicy
    {
        requireNonNull(name, "name is null");
        rules = List.copyOf(requireNonNull(rules, "rules is null"));
        Set<String> names = new HashSet<>();
        for (ReleaseRule rule : rules) {
            if (!names.add(rule.name())) {
                throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "release policy '" + name + "': rule name '" + rule.name() + "' is used twice");
            }
        }
    }

    /** The policy that releases nothing. */
    public static ReleasePolicy denyAll()
    {
        return new ReleasePolicy("deny-all", List.of());
    }

    public static ReleasePolicy fromJson(String json)
    {
        return fromJson(StixJson.parse(json));
    }

    public static ReleasePolicy fromJson(JsonNode root)
    {
        if (!root.isObject()) {
            throw invalid("release policy", "must be a JSON object");
        }
        rejectUnknown(root, POLICY_PROPERTIES, "release policy");
        String name = requiredString(root, "name", "release policy");
        JsonNode rulesNode = root.get("rules");
        if (rulesNode == null || !rulesNode.isArray()) {
            throw invalid("release policy '" + name + "'", "'rules' must be an array");
        }
        List<ReleaseRule> rules = new ArrayList<>();
        int index = 0;
        for (JsonNode ruleNode : rulesNode.values()) {
            String where = "release policy '" + name + "', rules[" + index + "]";
            if (!ruleNode.isObject()) {
                throw invalid(where, "must be a JSON object");
            }
            rejectUnknown(ruleNode, RULE_PROPERTIES, where);
            String ruleName = requiredString(ruleNode, "name", where);
            where = where + " ('" + ruleName + "')";
            String effectText = requiredString(ruleNode, "effect", where);
            RuleEffect effect = switch (effectText.toLowerCase(Locale.ROOT)) {
                case "allow" -> RuleEffect.ALLOW;
                case "deny" -> RuleEffect.DENY;
                default -> throw invalid(where, "effect '" + effectText + "' must be 'allow' or 'deny'");
            };
            boolean allPartners = false;
            JsonNode all = ruleNode.get("all_partners");
            if (all != null) {
                if (!all.isBoolean()) {
                    throw invalid(where, "all_partners must be true or false");
                }
                allPartners = all.booleanValue();
            }
            Optional<Tlp> maxTlp = Optional.empty();
            if (ruleNode.has("max_tlp")) {
                String text = requiredString(ruleNode, "max_tlp", where);
                maxTlp = Optional.of(Tlp.fromLabel(text).orElseThrow(() -> invalid("release policy '" + name + "', rule '" + ruleName + "'",
                        "max_tlp '" + text + "' is not one of clear, green, amber, amber+strict, red")));
            }
            Optional<Pap> maximumPap = Optional.empty();
            if (ruleNode.has("max_pap")) {
                String text = requiredString(ruleNode, "max_pap", where);
                String rule = where;
                maximumPap = Optional.of(Pap.fromLabel(text).orElseThrow(() -> invalid(rule, "max_pap '" + text + "' is not one of clear, green, amber, red")));
            }
            Optional<Character> minimumReliability = Optional.empty();
            if (ruleNode.has("min_reliability")) {
                String text = requiredString(ruleNode, "min_reliability", where);
                if (text.length() != 1 || text.charAt(0) < 'A' || text.charAt(0) > 'F') {
                    throw invalid(where, "min_reliability '" + text + "' must be one capital letter A (completely reliable) to F (cannot be judged)");
                }
                minimumReliability = Optional.of(text.charAt(0));
            }
            Optional<Integer> minimumCredibility = Optional.empty();
            JsonNode credibility = ruleNode.get("min_credibility");
            if (credibility != null) {
                if (!credibility.isIntegralNumber() || !credibility.canConvertToInt() || credibility.intValue() < 1 || credibility.intValue() > 6) {
                    throw invalid(where, "min_credibility " + credibility + " must be a whole number 1 (confirmed) to 6 (cannot be judged)");
                }
                minimumCredibility = Optional.of(credibility.intValue());
            }
            try {
                rules.add(new ReleaseRule(ruleName, effect, allPartners,
                        strings(ruleNode, "partners", where),
                        strings(ruleNode, "groups", where),
                        strings(ruleNode, "collections", where),
                        strings(ruleNode, "types", where),
                        strings(ruleNode, "labels", where),
                        maxTlp,
                        strings(ruleNode, "marking_refs", where),
                        maximumPap,
                        minimumReliability,
                        minimumCredibility));
            }
            catch (VigieException e) {
                throw invalid(where, e.getMessage());
            }
            index++;
        }
        return new ReleasePolicy(name, rules);
    }

    /** The JSON form, properties in a fixed order (it is hashed into the audit ledger on every change). */
    public ObjectNode toJson()
    {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("name", name);
        ArrayNode array = root.putArray("rules");
        for (ReleaseRule rule : rules) {
            ObjectNode node = array.addObject();
            node.put("name", rule.name());
            node.put("effect", switch (rule.effect()) {
                case ALLOW -> "allow";
                case DENY -> "deny";
            });
            if (rule.allPartners()) {
                node.put("all_partners", true);
            }
            putStrings(node, "partners", rule.partners());
            putStrings(node, "groups", rule.groups());
            putStrings(node, "collections", rule.collections());
            putStrings(node, "types", rule.types());
            putStrings(node, "labels", rule.labels());
            rule.maxTlp().ifPresent(tlp -> node.put("max_tlp", tlp.label()));
            putStrings(node, "marking_refs", rule.markingRefs());
            rule.maximumPap().ifPresent(pap -> node.put("max_pap", pap.label()));
            rule.minimumReliability().ifPresent(reliability -> node.put("min_reliability", String.valueOf(reliability)));
            rule.minimumCredibility().ifPresent(credibility -> node.put("min_credibility", credibility));
        }
        return root;
    }

    private static void putStrings(ObjectNode node, String property, List<String> values)
    {
        if (!values.isEmpty()) {
            ArrayNode array = node.putArray(property);
            values.forEach(array::add);
        }
    }

    private static void rejectUnknown(JsonNode node, Set<String> known, String where)
    {
        for (String property : node.propertyNames()) {
            if (!known.contains(property)) {
                throw invalid(where, "unknown property '" + property + "'");
            }
        }
    }

    private static String requiredString(JsonNode node, String property, String where)
    {
        JsonNode value = node.get(property);
        if (value == null || !value.isString() || value.stringValue().isBlank()) {
            throw invalid(where, "'" + property + "' is required and must be a non-blank string");
        }
        return value.stringValue();
    }

    private static List<String> strings(JsonNode node, String property, String where)
    {
        JsonNode value = node.get(property);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw invalid(where, "'" + property + "' must be an array of strings");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode element : value.values()) {
            if (!element.isString()) {
                throw invalid(where, "'" + property + "' must contain only strings, found " + element);
            }
            result.add(element.stringValue());
        }
        return result;
    }

    private static VigieException invalid(String where, String why)
    {
        return new VigieException(ErrorCode.INVALID_CONFIGURATION, where + ": " + why);
    }
}
