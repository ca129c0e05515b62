package org.vigie.stix.validation;

import org.vigie.stix.ObjectCategory;
import org.vigie.stix.ScoIdentifiers;
import org.vigie.stix.StixTypes;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The table-driven validator: common rules, then the {@link TypeSpecs} entry of the object's type. */
final class TableValidator
        implements StixValidator
{
    @Override
    public List<Violation> validate(JsonNode object)
    {
        if (object != null && object.isObject() && object.path("type").isString() && object.get("type").stringValue().equals(StixTypes.BUNDLE_TYPE)) {
            return validateBundle(object);
        }
        List<Violation> violations = Context.newList();
        validateObject(object, violations);
        return List.copyOf(violations);
    }

    @Override
    public List<Violation> validateBundle(JsonNode bundle)
    {
        List<Violation> violations = Context.newList();
        if (bundle == null || !bundle.isObject()) {
            violations.add(new Violation("-", "-", Rules.JSON_TYPE, "a bundle must be a JSON object"));
            return List.copyOf(violations);
        }
        String id = idOf(bundle);
        Context context = new Context(violations, id, StixTypes.BUNDLE_TYPE);
        JsonNode type = bundle.get("type");
        if (type == null) {
            context.require(bundle, "type", "");
        }
        else if (!type.isString() || !type.stringValue().equals(StixTypes.BUNDLE_TYPE)) {
            context.add("type", Rules.BUNDLE_RULE, "a bundle's type must be 'bundle'");
        }
        JsonNode idNode = bundle.get("id");
        if (idNode == null) {
            context.require(bundle, "id", "");
        }
        else {
            checkIdentifierValue(context, "id", idNode, StixTypes.BUNDLE_TYPE);
        }
        JsonNode objects = bundle.get("objects");
        if (objects != null) {
            if (!objects.isArray()) {
                context.add("objects", Rules.PROPERTY_TYPE, "a bundle's objects must be a list of STIX objects");
            }
            else if (objects.isEmpty()) {
                context.add("objects", Rules.EMPTY_LIST, "a bundle's objects must not be an empty list (omit it instead)");
            }
            else {
                int index = 0;
                for (JsonNode object : objects) {
                    if (object.isObject() && object.path("type").isString() && object.get("type").stringValue().equals(StixTypes.BUNDLE_TYPE)) {
                        context.add("objects[" + index + "]", Rules.BUNDLE_RULE, "a bundle must not contain another bundle");
                    }
                    else {
                        validateObject(object, violations);
                    }
                    index++;
                }
            }
        }
        return List.copyOf(violations);
    }

    private static String idOf(JsonNode object)
    {
        JsonNode id = object.get("id");
        return id != null && id.isString() ? id.stringValue() : "-";
    }

    private void validateObject(JsonNode object, List<Violation> violations)
    {
        if (object == null || !object.isObject()) {
            violations.add(new Violation("-", "-", Rules.JSON_TYPE, "a STIX object must be a JSON object"));
            return;
        }
        String id = idOf(object);
        JsonNode typeNode = object.get("type");
        String type = typeNode != null && typeNode.isString() ? typeNode.stringValue() : "(unknown type)";
        Context context = new Context(violations, id, type);
        if (typeNode == null) {
            context.add("type", Rules.REQUIRED_PROPERTY, "property 'type' is required for every STIX object");
        }
        else if (!typeNode.isString() || !Syntax.isTypeName(type, 0, type.length())) {
            context.add("type", Rules.TYPE_FORMAT, "type " + typeNode + " must be 3 to 250 characters of a-z, 0-9 and single hyphens");
        }
        ObjectCategory category = StixTypes.category(type);
        TypeSpec spec = TypeSpecs.forType(type);

        for (String required : spec.required()) {
            if (!object.has(required) && !required.equals("type")) {
                context.add(required, Rules.REQUIRED_PROPERTY, "property '" + required + "' is required for " + type);
            }
        }
        JsonNode idNode = object.get("id");
        if (idNode != null && typeNode != null && typeNode.isString()) {
            checkIdentifierValue(context, "id", idNode, type);
        }
        JsonNode specVersion = object.get("spec_version");
        if (specVersion != null && (!specVersion.isString() || !specVersion.stringValue().equals("2.1"))) {
            context.add("spec_version", Rules.SPEC_VERSION, "spec_version must be \"2.1\" for a STIX 2.1 object, found " + specVersion);
        }

        for (Map.Entry<String, JsonNode> property : object.properties()) {
            String name = property.getKey();
            JsonNode value = property.getValue();
            PropertySpec propertySpec = spec.properties().get(name);
            if (propertySpec != null) {
                checkValue(context, name, value, propertySpec);
            }
            else {
                checkCustomProperty(context, name, value);
            }
        }

        checkCreatedModified(object, context, category);
        for (ObjectCheck check : spec.checks()) {
            check.check(object, context);
        }
        if (category == ObjectCategory.SCO && idNode != null && idNode.isString()) {
            checkScoIdentifier(object, context, idNode.stringValue());
        }
    }

    private static void checkCreatedModified(JsonNode object, Context context, ObjectCategory category)
    {
        if (category == ObjectCategory.SCO) {
            return;
        }
        Instant created = precise(object, context, "created");
        Instant modified = precise(object, context, "modified");
        if (created != null && modified != null && modified.isBefore(created)) {
            context.add("modified", Rules.MODIFIED_BEFORE_CREATED, "modified " + object.get("modified").stringValue()
                    + " must not be earlier than created " + object.get("created").stringValue());
        }
    }

    // created and modified must be precise to the millisecond (STIX 2.1 section 3.2).
    private static Instant precise(JsonNode object, Context context, String property)
    {
        Instant instant = Context.timestamp(object, property);
        if (instant != null && Syntax.fractionDigits(object.get(property).stringValue()) < 3) {
            context.add(property, Rules.TIMESTAMP_PRECISION, property + " " + object.get(property).stringValue() + " must be precise to at least the millisecond");
        }
        return instant;
    }

    private static void checkScoIdentifier(JsonNode object, Context context, String id)
    {
        if (!Syntax.isIdentifier(id)) {
            return;
        }
        // Section 2.9 makes UUIDv5 a SHOULD: a UUIDv4 id is allowed. A UUIDv5 id claims to be the
        // deterministic one, so it must be the one computed from the ID-contributing properties.
        char version = id.charAt(id.indexOf("--") + 2 + 14);
        if (version != '5') {
            return;
        }
        Optional<String> expected = ScoIdentifiers.deterministicId(object);
        if (expected.isPresent() && !expected.get().equalsIgnoreCase(id)) {
            context.add("id", Rules.SCO_IDENTIFIER, "id is a UUIDv5 but not the deterministic one " + expected.get()
                    + " computed from the ID-contributing properties " + ScoIdentifiers.contributingProperties(context.type())
                    + " over canonical JSON in namespace " + ScoIdentifiers.NAMESPACE);
        }
        else if (expected.isEmpty() && !ScoIdentifiers.contributingProperties(context.type()).isEmpty()) {
            context.add("id", Rules.SCO_IDENTIFIER, "id is a UUIDv5 but none of the ID-contributing properties "
                    + ScoIdentifiers.contributingProperties(context.type()) + " is present, so it must be a UUIDv4");
        }
    }

    private static void checkCustomProperty(Context context, String name, JsonNode value)
    {
        if (!Syntax.isPropertyName(name)) {
            context.add(name, Rules.PROPERTY_NAME, "property name '" + name + "' must be 3 to 250 characters of a-z, A-Z, 0-9 and underscore");
        }
        // A custom *_ref or *_refs property that holds no identifier is not a violation: the reference
        // rules bind the properties the specification defines, and the naming rule is only a SHOULD for
        // custom ones. Rejecting it would drop real third-party objects (ATT&CK's x_mitre_data_source_ref ""); see warnings().
    }

    @Override
    public List<Violation> warnings(JsonNode object)
    {
        List<Violation> warnings = Context.newList();
        if (object == null || !object.isObject()) {
            return List.of();
        }
        if (object.path("type").isString() && object.get("type").stringValue().equals(StixTypes.BUNDLE_TYPE)) {
            JsonNode objects = object.get("objects");
            if (objects != null && objects.isArray()) {
                for (JsonNode element : objects) {
                    if (element.isObject()) {
                        customReferenceWarnings(element, warnings);
                    }
                }
            }
            return List.copyOf(warnings);
        }
        customReferenceWarnings(object, warnings);
        return List.copyOf(warnings);
    }

    private static void customReferenceWarnings(JsonNode object, List<Violation> warnings)
    {
        JsonNode typeNode = object.get("type");
        String type = typeNode != null && typeNode.isString() ? typeNode.stringValue() : "(unknown type)";
        TypeSpec spec = TypeSpecs.forType(type);
        // The reference checks write into a scratch list, re-filed under the warning rule.
        List<Violation> found = Context.newList();
        Context context = new Context(found, idOf(object), type);
        for (Map.Entry<String, JsonNode> property : object.properties()) {
            String name = property.getKey();
            if (spec.properties().containsKey(name)) {
                continue;
            }
            if (name.endsWith("_ref")) {
                checkValue(context, name, property.getValue(), PropertySpec.of(name, Kind.IDENTIFIER));
            }
            else if (name.endsWith("_refs")) {
                checkValue(context, name, property.getValue(), PropertySpec.of(name, Kind.IDENTIFIER_LIST));
            }
        }
        for (Violation violation : found) {
            warnings.add(new Violation(violation.objectId(), violation.property(), Rules.CUSTOM_REFERENCE, violation.message()));
        }
    }

    private static void checkIdentifierValue(Context context, String property, JsonNode value, String expectedType)
    {
        if (!value.isString() || !Syntax.isIdentifier(value.stringValue())) {
            context.add(property, Rules.IDENTIFIER_FORMAT, property + " " + value + " must be an identifier of the form type--UUID with an RFC 9562 UUID");
            return;
        }
        String text = value.stringValue();
        String prefix = text.substring(0, text.indexOf("--"));
        if (!prefix.equals(expectedType)) {
            context.add(property, Rules.IDENTIFIER_TYPE_PREFIX, property + " " + text + " must start with the object's type '" + expectedType + "--'");
        }
    }

    private static void checkReference(Context context, String property, JsonNode value, ReferenceTarget target)
    {
        if (!value.isString() || !Syntax.isIdentifier(value.stringValue())) {
            context.add(property, Rules.IDENTIFIER_FORMAT, property + " " + value + " must be an identifier of the form type--UUID with an RFC 9562 UUID");
            return;
        }
        String text = value.stringValue();
        String type = text.substring(0, text.indexOf("--"));
        if (!target.allows(type)) {
            context.add(property, Rules.REFERENCE_TYPE, property + " must reference " + target.description() + ", not " + type);
        }
    }

    private static void checkValue(Context context, String property, JsonNode value, PropertySpec spec)
    {
        switch (spec.kind()) {
            case ANY -> {
                // Checked by the common rules (id, type).
            }
            case STRING -> expect(context, property, value.isString(), "a string", value);
            case BOOLEAN -> expect(context, property, value.isBoolean(), "a boolean", value);
            case NUMBER -> expect(context, property, value.isNumber(), "a number", value);
            case INTEGER -> {
                if (!value.isIntegralNumber()) {
                    expect(context, property, false, "an integer", value);
                }
                else if (!value.canConvertToLong() || value.longValue() < spec.minimum() || value.longValue() > spec.maximum()) {
                    context.add(property, Rules.VALUE_RANGE, property + " " + value + " must be between " + spec.minimum() + " and " + spec.maximum());
                }
            }
            case TIMESTAMP -> {
                if (!value.isString() || Syntax.timestamp(value.stringValue()) == null) {
                    context.add(property, Rules.TIMESTAMP_FORMAT, property + " " + value + " must be a timestamp of the form YYYY-MM-DDTHH:mm:ss[.s+]Z");
                }
            }
            case STRING_LIST -> {
                if (list(context, property, value, "a list of strings")) {
                    for (JsonNode element : value) {
                        if (!element.isString()) {
                            context.add(property, Rules.PROPERTY_TYPE, property + " must be a list of strings, found element " + element);
                            break;
                        }
                    }
                }
            }
            case IDENTIFIER -> checkReference(context, property, value, spec.target());
            case IDENTIFIER_LIST -> {
                if (list(context, property, value, "a list of identifiers")) {
                    for (JsonNode element : value) {
                        checkReference(context, property, element, spec.target());
                    }
                }
            }
            case DICTIONARY -> {
                if (expect(context, property, value.isObject(), "a dictionary", value)) {
                    checkDictionaryKeys(context, property, value);
                }
            }
            case OBJECT -> expect(context, property, value.isObject(), "a JSON object", value);
            case OBJECT_LIST -> {
                if (list(context, property, value, "a list of objects")) {
                    for (JsonNode element : value) {
                        if (!element.isObject()) {
                            context.add(property, Rules.PROPERTY_TYPE, property + " must be a list of objects, found element " + element);
                            break;
                        }
                    }
                }
            }
            case HASHES -> checkHashes(context, property, value);
            case BINARY -> expect(context, property, value.isString() && isBase64(value.stringValue()), "base64 binary text", value);
            case HEX -> expect(context, property, value.isString() && isHex(value.stringValue()), "hexadecimal text", value);
            case KILL_CHAIN_PHASES -> checkKillChainPhases(context, property, value);
            case EXTERNAL_REFERENCES -> checkExternalReferences(context, property, value);
            case GRANULAR_MARKINGS -> checkGranularMarkings(context, property, value);
            case EXTENSIONS -> checkExtensions(context, property, value);
        }
    }

    private static boolean expect(Context context, String property, boolean condition, String what, JsonNode value)
    {
        if (!condition) {
            context.add(property, Rules.PROPERTY_TYPE, property + " must be " + what + ", found " + abbreviate(value));
        }
        return condition;
    }

    private static boolean list(Context context, String property, JsonNode value, String what)
    {
        if (!value.isArray()) {
            context.add(property, Rules.PROPERTY_TYPE, property + " must be " + what + ", found " + abbreviate(value));
            return false;
        }
        if (value.isEmpty()) {
            context.add(property, Rules.EMPTY_LIST, property + " must not be an empty list (omit the property instead)");
            return false;
        }
        return true;
    }

    private static String abbreviate(JsonNode value)
    {
        String text = value.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    private static void checkDictionaryKeys(Context context, String property, JsonNode dictionary)
    {
        for (String key : dictionary.propertyNames()) {
            if (!Syntax.isDictionaryKey(key)) {
                context.add(property + "." + key, Rules.DICTIONARY_KEY, "dictionary key '" + key + "' must be 1 to 250 characters of a-z, A-Z, 0-9, underscore and hyphen");
            }
        }
    }

    private static void checkHashes(Context context, String property, JsonNode value)
    {
        if (!expect(context, property, value.isObject() && !value.isEmpty(), "a non-empty dictionary of hashes", value)) {
            return;
        }
        for (Map.Entry<String, JsonNode> hash : value.properties()) {
            if (hash.getKey().isEmpty() || hash.getKey().length() > 250) {
                context.add(property + "." + hash.getKey(), Rules.DICTIONARY_KEY, "hash algorithm names must be 1 to 250 characters");
            }
            if (!hash.getValue().isString()) {
                context.add(property + "." + hash.getKey(), Rules.PROPERTY_TYPE, "a hash value must be a string");
            }
        }
    }

    private static void checkKillChainPhases(Context context, String property, JsonNode value)
    {
        if (!list(context, property, value, "a list of kill-chain phases")) {
            return;
        }
        for (JsonNode phase : value) {
            if (!phase.isObject() || !phase.path("kill_chain_name").isString() || !phase.path("phase_name").isString()) {
                context.add(property, Rules.REQUIRED_PROPERTY, "each kill-chain phase must have string kill_chain_name and phase_name, found " + abbreviate(phase));
            }
        }
    }

    private static void checkExternalReferences(Context context, String property, JsonNode value)
    {
        if (!list(context, property, value, "a list of external references")) {
            return;
        }
        int index = 0;
        for (JsonNode reference : value) {
            String path = property + "[" + index++ + "]";
            if (!reference.isObject()) {
                context.add(path, Rules.PROPERTY_TYPE, "an external reference must be a JSON object");
                continue;
            }
            if (!reference.path("source_name").isString()) {
                context.add(path + ".source_name", Rules.REQUIRED_PROPERTY, "an external reference must have a string source_name");
            }
            if (!reference.has("description") && !reference.has("url") && !reference.has("external_id")) {
                context.add(path, Rules.EXTERNAL_REFERENCE, "an external reference must have at least one of description, url or external_id besides source_name");
            }
            JsonNode hashes = reference.get("hashes");
            if (hashes != null) {
                checkHashes(context, path + ".hashes", hashes);
            }
        }
    }

    private static final ReferenceTarget MARKING = ReferenceTarget.of("marking-definition");

    private static void checkGranularMarkings(Context context, String property, JsonNode value)
    {
        if (!list(context, property, value, "a list of granular markings")) {
            return;
        }
        int index = 0;
        for (JsonNode marking : value) {
            String path = property + "[" + index++ + "]";
            if (!marking.isObject()) {
                context.add(path, Rules.PROPERTY_TYPE, "a granular marking must be a JSON object");
                continue;
            }
            JsonNode selectors = marking.get("selectors");
            if (selectors == null || !selectors.isArray() || selectors.isEmpty()) {
                context.add(path + ".selectors", Rules.GRANULAR_MARKING, "a granular marking must have a non-empty list of selectors");
            }
            boolean reference = marking.has("marking_ref");
            boolean language = marking.has("lang");
            if (reference == language) {
                context.add(path, Rules.GRANULAR_MARKING, "a granular marking must have exactly one of marking_ref or lang");
            }
            if (reference) {
                checkReference(context, path + ".marking_ref", marking.get("marking_ref"), MARKING);
            }
        }
    }

    private static void checkExtensions(Context context, String property, JsonNode value)
    {
        if (!expect(context, property, value.isObject() && !value.isEmpty(), "a non-empty dictionary of extensions", value)) {
            return;
        }
        for (Map.Entry<String, JsonNode> extension : value.properties()) {
            String name = extension.getKey();
            String path = property + "." + name;
            if (name.startsWith("extension-definition--") && !Syntax.isIdentifier(name)) {
                context.add(path, Rules.IDENTIFIER_FORMAT, "extension key '" + name + "' must be an extension-definition identifier with an RFC 9562 UUID");
            }
            if (!extension.getValue().isObject()) {
                context.add(path, Rules.PROPERTY_TYPE, "an extension must be a JSON object");
            }
        }
    }

    private static boolean isBase64(String text)
    {
        int length = text.length();
        if (length % 4 != 0) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char character = text.charAt(i);
            boolean allowed = (character >= 'A' && character <= 'Z') || (character >= 'a' && character <= 'z') || (character >= '0' && character <= '9')
                    || character == '+' || character == '/' || (character == '=' && i >= length - 2);
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(String text)
    {
        if (text.length() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!Syntax.isHex(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
