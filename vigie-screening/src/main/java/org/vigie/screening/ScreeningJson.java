package org.vigie.screening;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * JSON for POST /screening/match. A request is one query object or {@code {"queries": [...]}}; a
 * query has {@code name} (required), {@code aliases}, {@code birth_date} (YYYY-MM-DD),
 * {@code nationality}, {@code type} (person, organization, vessel, aircraft), {@code threshold} and
 * {@code limit}. Properties are written in a fixed order; enum values in lower case.
 */
public final class ScreeningJson
{
    private static final Set<String> QUERY_PROPERTIES = Set.of("name", "aliases", "birth_date", "nationality", "type", "threshold", "limit");

    private ScreeningJson() {}

    /** The queries of a request body: a single query object, or an object with a "queries" array. */
    public static List<ScreeningQuery> readQueries(JsonNode body)
    {
        if (body == null || !body.isObject()) {
            throw invalid("request body must be a JSON object");
        }
        if (!body.has("queries")) {
            return List.of(readQuery(body, "query"));
        }
        JsonNode queries = body.get("queries");
        if (!queries.isArray() || queries.isEmpty()) {
            throw invalid("\"queries\" must be a non-empty array");
        }
        List<ScreeningQuery> result = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            result.add(readQuery(queries.get(i), "queries[" + i + "]"));
        }
        return result;
    }

    public static ScreeningQuery readQuery(JsonNode node, String where)
    {
        if (node == null || !node.isObject()) {
            throw invalid(where + " must be a JSON object");
        }
        for (String property : node.propertyNames()) {
            if (!QUERY_PROPERTIES.contains(property)) {
                throw invalid(where + " has unknown property \"" + property + "\" (known: name, aliases, birth_date, nationality, type, threshold, limit)");
            }
        }
        JsonNode name = node.get("name");
        if (name == null || !name.isString() || name.stringValue().isBlank()) {
            throw invalid(where + ".name must be a non-empty string");
        }
        List<String> aliases = new ArrayList<>();
        JsonNode aliasNode = node.get("aliases");
        if (aliasNode != null) {
            if (!aliasNode.isArray()) {
                throw invalid(where + ".aliases must be an array of strings");
            }
            for (JsonNode alias : aliasNode) {
                if (!alias.isString()) {
                    throw invalid(where + ".aliases must be an array of strings");
                }
                if (!alias.stringValue().isBlank()) {
                    aliases.add(alias.stringValue());
                }
            }
        }
        Optional<LocalDate> birthDate = Optional.empty();
        JsonNode birth = node.get("birth_date");
        if (birth != null && !birth.isNull()) {
            if (!birth.isString()) {
                throw invalid(where + ".birth_date must be a string YYYY-MM-DD");
            }
            birthDate = Optional.of(parseDate(birth.stringValue(), where + ".birth_date"));
        }
        Optional<String> nationality = Optional.empty();
        JsonNode nationalityNode = node.get("nationality");
        if (nationalityNode != null && !nationalityNode.isNull()) {
            if (!nationalityNode.isString()) {
                throw invalid(where + ".nationality must be a string");
            }
            nationality = Optional.of(nationalityNode.stringValue()).filter(value -> !value.isBlank());
        }
        Optional<EntityType> type = Optional.empty();
        JsonNode typeNode = node.get("type");
        if (typeNode != null && !typeNode.isNull()) {
            if (!typeNode.isString()) {
                throw invalid(where + ".type must be a string");
            }
            type = Optional.of(parseType(typeNode.stringValue(), where + ".type"));
        }
        double threshold = Screener.RECOMMENDED_THRESHOLD;
        JsonNode thresholdNode = node.get("threshold");
        if (thresholdNode != null && !thresholdNode.isNull()) {
            if (!thresholdNode.isNumber()) {
                throw invalid(where + ".threshold must be a number in [0, 1]");
            }
            threshold = thresholdNode.doubleValue();
        }
        int limit = ScreeningQuery.DEFAULT_LIMIT;
        JsonNode limitNode = node.get("limit");
        if (limitNode != null && !limitNode.isNull()) {
            if (!limitNode.isIntegralNumber() || !limitNode.canConvertToInt()) {
                throw invalid(where + ".limit must be an integer");
            }
            limit = limitNode.intValue();
        }
        return new ScreeningQuery(name.stringValue(), aliases, birthDate, nationality, type, threshold, limit);
    }

    /** Parses person, organization (or entity), vessel, aircraft, case-insensitive. */
    public static EntityType parseType(String text, String where)
    {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "person", "individual" -> EntityType.PERSON;
            case "organization", "organisation", "entity", "company" -> EntityType.ORGANIZATION;
            case "vessel" -> EntityType.VESSEL;
            case "aircraft" -> EntityType.AIRCRAFT;
            default -> throw invalid(where + " '" + text + "' is not one of person, organization, vessel, aircraft");
        };
    }

    public static LocalDate parseDate(String text, String where)
    {
        try {
            return LocalDate.parse(text.strip());
        }
        catch (DateTimeParseException e) {
            throw invalid(where + " '" + text + "' is not a date YYYY-MM-DD");
        }
    }

    /** {@code {"results": [...]}} for one query. */
    public static ObjectNode results(List<ScreeningResult> results)
    {
        ObjectNode root = StixJson.mapper().createObjectNode();
        ArrayNode array = root.putArray("results");
        results.forEach(result -> array.add(result(result)));
        return root;
    }

    /** {@code {"responses": [{"query": ..., "results": [...]}]}} for several queries, in request order. */
    public static ObjectNode responses(List<ScreeningQuery> queries, List<List<ScreeningResult>> results)
    {
        if (queries.size() != results.size()) {
            throw new IllegalArgumentException(queries.size() + " queries but " + results.size() + " result lists");
        }
        ObjectNode root = StixJson.mapper().createObjectNode();
        ArrayNode array = root.putArray("responses");
        for (int i = 0; i < queries.size(); i++) {
            ObjectNode response = array.addObject();
            response.set("query", query(queries.get(i)));
            response.set("results", results(results.get(i)).get("results"));
        }
        return root;
    }

    public static ObjectNode query(ScreeningQuery query)
    {
        ObjectNode node = StixJson.mapper().createObjectNode();
        node.put("name", query.name());
        ArrayNode aliases = node.putArray("aliases");
        query.aliases().forEach(aliases::add);
        query.birthDate().ifPresent(date -> node.put("birth_date", date.toString()));
        query.nationality().ifPresent(nationality -> node.put("nationality", nationality));
        query.type().ifPresent(type -> node.put("type", lower(type)));
        node.put("threshold", query.threshold());
        node.put("limit", query.limit());
        return node;
    }

    public static ObjectNode result(ScreeningResult result)
    {
        ObjectNode node = StixJson.mapper().createObjectNode();
        node.put("list", result.list());
        node.put("id", result.id());
        node.put("primary_name", result.primaryName());
        node.put("type", lower(result.type()));
        node.put("score", IndexedScreener.round(result.score()));
        node.set("explanation", explanation(result.explanation()));
        return node;
    }

    public static ObjectNode explanation(Explanation explanation)
    {
        ObjectNode node = StixJson.mapper().createObjectNode();
        node.put("query_name", explanation.queryName());
        node.put("matched_name", explanation.matchedName());
        node.put("matched_name_kind", lower(explanation.matchedNameKind()));
        node.put("name_score", IndexedScreener.round(explanation.nameScore()));
        ArrayNode pairs = node.putArray("pairs");
        for (TokenPair pair : explanation.pairs()) {
            ObjectNode pairNode = pairs.addObject();
            pairNode.put("query_token", pair.queryToken());
            pairNode.put("list_token", pair.listToken());
            pairNode.put("score", pair.score());
            pairNode.put("rule", lower(pair.rule()));
            pairNode.put("weight", pair.weight());
        }
        ArrayNode unmatchedQuery = node.putArray("unmatched_query_tokens");
        explanation.unmatchedQueryTokens().forEach(unmatchedQuery::add);
        ArrayNode unmatchedList = node.putArray("unmatched_list_tokens");
        explanation.unmatchedListTokens().forEach(unmatchedList::add);
        ArrayNode qualifiers = node.putArray("qualifiers");
        for (Qualifier qualifier : explanation.qualifiers()) {
            ObjectNode qualifierNode = qualifiers.addObject();
            qualifierNode.put("rule", lower(qualifier.rule()));
            qualifierNode.put("detail", qualifier.detail());
            qualifierNode.put("factor", qualifier.factor());
        }
        return node;
    }

    private static String lower(Enum<?> value)
    {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static VigieException invalid(String message)
    {
        return new VigieException(ErrorCode.INVALID_SCREENING_QUERY, "screening request: " + message);
    }
}
