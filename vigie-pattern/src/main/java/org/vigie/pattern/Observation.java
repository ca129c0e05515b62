package org.vigie.pattern;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.Timestamps;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One observed-data object, flattened once into {@code type:path -> values} so that matching never
 * walks JSON trees again. The values under a key are those of every cyber-observable of that type in
 * the observation (the objects named by {@code object_refs}, or the deprecated embedded {@code objects}).
 * Lists appear under each concrete index and under {@code [*]}; {@code _ref} and {@code _refs}
 * properties also expose the properties of the objects they reference. Leaf values are
 * {@link String}, {@link BigDecimal} or {@link Boolean}; objects, lists and JSON {@code null} are
 * {@link #CONTAINER} (present for EXISTS, of a type no constant has: {@code !=} holds for them, as in the
 * OASIS matcher's 2.1 test vectors, where {@code [null_test:name != 'alice']} matches a null name).
 */
public final class Observation
{
    /** The value recorded for an object, a list or a JSON null: it exists, but is of no constant's type. */
    public static final Object CONTAINER = new Object()
    {
        @Override
        public String toString()
        {
            return "<container>";
        }
    };

    /** Dereferences followed along one path, so that reference cycles and long chains end. */
    public static final int MAXIMUM_REFERENCE_DEPTH = 16;
    /** Flattened values per observation, beyond which the observation is rejected. */
    public static final int MAXIMUM_VALUES = 200_000;

    private static final Object[] NO_VALUES = new Object[0];
    private static final int[] NO_OBJECTS = new int[0];

    private final String id;
    private final Instant firstObserved;
    private final Instant lastObserved;
    private final long numberObserved;
    private final Map<String, Object[]> values;
    // For each key, parallel to its values: the position of the root cyber-observable the value was reached from.
    private final Map<String, int[]> objects;

    private Observation(String id, Instant firstObserved, Instant lastObserved, long numberObserved, Map<String, Object[]> values, Map<String, int[]> objects)
    {
        this.id = requireNonNull(id, "id is null");
        this.firstObserved = requireNonNull(firstObserved, "firstObserved is null");
        this.lastObserved = requireNonNull(lastObserved, "lastObserved is null");
        this.numberObserved = numberObserved;
        this.values = requireNonNull(values, "values is null");
        this.objects = requireNonNull(objects, "objects is null");
    }

    /**
     * The observations among {@code objects} (observed-data objects, in their order), their SCOs
     * resolved against the other objects of the list.
     */
    public static List<Observation> fromObjects(List<JsonNode> objects)
    {
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode object : objects) {
            JsonNode id = object.get("id");
            if (id != null && id.isString()) {
                byId.put(id.stringValue(), object);
            }
        }
        List<Observation> result = new ArrayList<>();
        for (JsonNode object : objects) {
            if ("observed-data".equals(object.path("type").asString(null))) {
                result.add(of(object, byId));
            }
        }
        return result;
    }

    /** Flattens one observed-data object; {@code objectsById} resolves its object_refs and their references. */
    public static Observation of(JsonNode observedData, Map<String, JsonNode> objectsById)
    {
        String id = text(observedData, "id", "(observed-data without id)");
        Instant first = timestamp(observedData, "first_observed", id);
        Instant last = timestamp(observedData, "last_observed", id);
        if (last.isBefore(first)) {
            throw new VigieException(ErrorCode.INVALID_STIX, id + ": last_observed is before first_observed");
        }
        JsonNode number = observedData.get("number_observed");
        long numberObserved = 1;
        if (number != null) {
            if (!number.isIntegralNumber() || number.asLong() < 1) {
                throw new VigieException(ErrorCode.INVALID_STIX, id + ": number_observed must be an integer of at least 1");
            }
            numberObserved = number.asLong();
        }
        Flattener flattener = new Flattener(id);
        JsonNode embedded = observedData.get("objects");
        JsonNode references = observedData.get("object_refs");
        if (references != null && references.isArray()) {
            for (JsonNode reference : references) {
                JsonNode object = reference.isString() ? objectsById.get(reference.stringValue()) : null;
                if (object == null) {
                    throw new VigieException(ErrorCode.INVALID_STIX, id + ": object_refs names " + reference + ", which is not among the objects given");
                }
                flattener.root(object, objectsById);
            }
        }
        else if (embedded != null && embedded.isObject()) {
            // Deprecated STIX 2.0 form: references are keys of the embedded objects dictionary.
            Map<String, JsonNode> local = new HashMap<>();
            for (Map.Entry<String, JsonNode> entry : embedded.properties()) {
                local.put(entry.getKey(), entry.getValue());
            }
            for (Map.Entry<String, JsonNode> entry : embedded.properties()) {
                flattener.root(entry.getValue(), local);
            }
        }
        else {
            throw new VigieException(ErrorCode.INVALID_STIX, id + ": observed-data needs object_refs (or the deprecated objects)");
        }
        return new Observation(id, first, last, numberObserved, flattener.finish(), flattener.finishObjects());
    }

    /**
     * An observation built directly from flattened values; keys as {@link PathKeys#key(ObjectPath)} makes them.
     * All values belong to one cyber-observable object per type.
     */
    public static Observation ofValues(String id, Instant firstObserved, Instant lastObserved, long numberObserved, Map<String, List<Object>> values)
    {
        Map<String, Object[]> copy = new HashMap<>();
        Map<String, int[]> objects = new HashMap<>();
        values.forEach((key, list) -> {
            copy.put(key, list.toArray());
            objects.put(key, new int[list.size()]);
        });
        return new Observation(id, firstObserved, lastObserved, numberObserved, copy, objects);
    }

    public String id()
    {
        return id;
    }

    public Instant firstObserved()
    {
        return firstObserved;
    }

    public Instant lastObserved()
    {
        return lastObserved;
    }

    public long numberObserved()
    {
        return numberObserved;
    }

    /** The values under a flattened key; empty when the path does not exist. The array must not be modified. */
    public Object[] values(String key)
    {
        Object[] result = values.get(key);
        return result == null ? NO_VALUES : result;
    }

    /**
     * Parallel to {@link #values(String)}: for each value, the position of the cyber-observable object
     * (among the observation's objects) whose path led to it, so that comparisons joined by AND can be
     * required to hold for the same object. The array must not be modified.
     */
    public int[] objectPositions(String key)
    {
        int[] result = objects.get(key);
        return result == null ? NO_OBJECTS : result;
    }

    /** Every flattened key, for indexes that look values up key by key. */
    public Set<Map.Entry<String, Object[]>> entries()
    {
        return values.entrySet();
    }

    @Override
    public String toString()
    {
        return "Observation[" + id + ", " + values.size() + " keys]";
    }

    private static String text(JsonNode node, String property, String where)
    {
        JsonNode value = node.get(property);
        if (value == null || !value.isString()) {
            throw new VigieException(ErrorCode.INVALID_STIX, where + ": property '" + property + "' is required and must be a string");
        }
        return value.stringValue();
    }

    private static Instant timestamp(JsonNode node, String property, String id)
    {
        String text = text(node, property, id);
        try {
            return Timestamps.parse(text);
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_STIX, id + ": property '" + property + "': " + e.getMessage(), e);
        }
    }

    private static final class Flattener
    {
        private final String observationId;
        private final Map<String, List<Object>> values = new LinkedHashMap<>();
        private final Map<String, List<Integer>> positions = new HashMap<>();
        private int count;
        private int root = -1;

        Flattener(String observationId)
        {
            this.observationId = observationId;
        }

        void root(JsonNode object, Map<String, JsonNode> objectsById)
        {
            JsonNode type = object.get("type");
            if (type == null || !type.isString()) {
                throw new VigieException(ErrorCode.INVALID_STIX, observationId + ": a cyber-observable object has no type");
            }
            root++;
            properties(object, type.stringValue() + ":", objectsById, 0);
        }

        private void properties(JsonNode object, String prefix, Map<String, JsonNode> objectsById, int depth)
        {
            boolean first = prefix.endsWith(":");
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                String name = entry.getKey();
                String key = prefix + (first ? "" : ".") + PathKeys.escape(name);
                node(entry.getValue(), key, objectsById, depth);
                if (depth < MAXIMUM_REFERENCE_DEPTH) {
                    if (name.endsWith("_ref") && entry.getValue().isString()) {
                        JsonNode target = objectsById.get(entry.getValue().stringValue());
                        if (target != null && target.isObject()) {
                            properties(target, key, objectsById, depth + 1);
                        }
                    }
                    else if (name.endsWith("_refs") && entry.getValue().isArray()) {
                        int index = 0;
                        for (JsonNode element : entry.getValue()) {
                            JsonNode target = element.isString() ? objectsById.get(element.stringValue()) : null;
                            if (target != null && target.isObject()) {
                                properties(target, key + "[" + index + "]", objectsById, depth + 1);
                                properties(target, key + "[*]", objectsById, depth + 1);
                            }
                            index++;
                        }
                    }
                }
            }
        }

        private void node(JsonNode node, String key, Map<String, JsonNode> objectsById, int depth)
        {
            if (node.isNull()) {
                add(key, CONTAINER);
            }
            else if (node.isObject()) {
                add(key, CONTAINER);
                properties(node, key, objectsById, depth);
            }
            else if (node.isArray()) {
                add(key, CONTAINER);
                int index = 0;
                for (JsonNode element : node) {
                    node(element, key + "[" + index + "]", objectsById, depth);
                    node(element, key + "[*]", objectsById, depth);
                    index++;
                }
            }
            else if (node.isString()) {
                add(key, node.stringValue());
            }
            else if (node.isBoolean()) {
                add(key, node.booleanValue());
            }
            else if (node.isNumber()) {
                add(key, node.decimalValue());
            }
        }

        private void add(String key, Object value)
        {
            if (++count > MAXIMUM_VALUES) {
                throw new VigieException(ErrorCode.INVALID_STIX, observationId + ": more than " + MAXIMUM_VALUES + " values once flattened (nested lists or reference chains)");
            }
            values.computeIfAbsent(key, ignored -> new ArrayList<>(1)).add(value);
            positions.computeIfAbsent(key, ignored -> new ArrayList<>(1)).add(root);
        }

        Map<String, Object[]> finish()
        {
            Map<String, Object[]> result = new HashMap<>(values.size() * 2);
            values.forEach((key, list) -> result.put(key, list.toArray()));
            return result;
        }

        Map<String, int[]> finishObjects()
        {
            Map<String, int[]> result = new HashMap<>(positions.size() * 2);
            positions.forEach((key, list) -> result.put(key, list.stream().mapToInt(Integer::intValue).toArray()));
            return result;
        }
    }
}
