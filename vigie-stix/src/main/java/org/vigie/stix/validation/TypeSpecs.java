package org.vigie.stix.validation;

import org.vigie.stix.ObjectCategory;
import org.vigie.stix.markings.TlpMarkings;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The per-type property tables of STIX 2.1 (sections 4 to 7): which properties each type defines,
 * of which kind, which ones are required, what their references may point at, and the rules
 * that involve several properties. Anything not in a table is a custom property.
 */
final class TypeSpecs
{
    private static final Set<String> OPINION_VALUES = Set.of("strongly-disagree", "disagree", "neutral", "agree", "strongly-agree");
    private static final Set<String> EXTENSION_TYPES = Set.of("new-sdo", "new-sro", "new-sco", "property-extension", "toplevel-property-extension");
    private static final Set<String> TLP_VERSION_1_COLORS = Set.of("white", "green", "amber", "red");

    private static final Map<String, TypeSpec> SPECS = build();

    /** The table used for a type this module does not define: the common properties of SDOs. */
    static final TypeSpec CUSTOM = sdoLike("custom object", ObjectCategory.CUSTOM).build();

    private TypeSpecs() {}

    static TypeSpec forType(String type)
    {
        TypeSpec spec = SPECS.get(type);
        return spec == null ? CUSTOM : spec;
    }

    private static Map<String, TypeSpec> build()
    {
        List<TypeSpec> specs = new ArrayList<>();
        // --- SDOs (section 4) ----------------------------------------------------------------
        specs.add(sdo("attack-pattern").required("name").strings("name", "description").kind(Kind.STRING_LIST, "aliases")
                .kind(Kind.KILL_CHAIN_PHASES, "kill_chain_phases").build());
        specs.add(sdo("campaign").required("name").strings("name", "description", "objective").kind(Kind.STRING_LIST, "aliases")
                .kind(Kind.TIMESTAMP, "first_seen", "last_seen").check(order("first_seen", "last_seen", false)).build());
        specs.add(sdo("course-of-action").required("name").strings("name", "description").build());
        specs.add(sdo("grouping").required("context", "object_refs").strings("name", "description", "context")
                .reference("object_refs", "<sdo>", "<sro>", "<sco>", "<meta>", "<custom>").build());
        specs.add(sdo("identity").required("name").strings("name", "description", "identity_class", "contact_information")
                .kind(Kind.STRING_LIST, "roles", "sectors").build());
        specs.add(sdo("incident").required("name").strings("name", "description").kind(Kind.KILL_CHAIN_PHASES, "kill_chain_phases").build());
        specs.add(sdo("indicator").required("pattern", "pattern_type", "valid_from")
                .strings("name", "description", "pattern", "pattern_type", "pattern_version").kind(Kind.STRING_LIST, "indicator_types")
                .kind(Kind.TIMESTAMP, "valid_from", "valid_until").kind(Kind.KILL_CHAIN_PHASES, "kill_chain_phases")
                .check(order("valid_from", "valid_until", true)).build());
        specs.add(sdo("infrastructure").required("name").strings("name", "description").kind(Kind.STRING_LIST, "infrastructure_types", "aliases")
                .kind(Kind.KILL_CHAIN_PHASES, "kill_chain_phases").kind(Kind.TIMESTAMP, "first_seen", "last_seen")
                .check(order("first_seen", "last_seen", false)).build());
        specs.add(sdo("intrusion-set").required("name").strings("name", "description", "resource_level", "primary_motivation")
                .kind(Kind.STRING_LIST, "aliases", "goals", "secondary_motivations").kind(Kind.TIMESTAMP, "first_seen", "last_seen")
                .check(order("first_seen", "last_seen", false)).build());
        specs.add(sdo("location").strings("name", "description", "region", "country", "administrative_area", "city", "street_address", "postal_code")
                .kind(Kind.NUMBER, "latitude", "longitude", "precision").check(TypeSpecs::checkLocation).build());
        specs.add(sdo("malware").required("is_family").strings("name", "description")
                .kind(Kind.STRING_LIST, "malware_types", "aliases", "architecture_execution_envs", "implementation_languages", "capabilities")
                .kind(Kind.BOOLEAN, "is_family").kind(Kind.KILL_CHAIN_PHASES, "kill_chain_phases").kind(Kind.TIMESTAMP, "first_seen", "last_seen")
                .reference("operating_system_refs", "software").reference("sample_refs", "file", "artifact")
                .check(order("first_seen", "last_seen", false)).check(TypeSpecs::checkMalware).build());
        specs.add(sdo("malware-analysis").required("product")
                .strings("product", "version", "configuration_version", "analysis_engine_version", "analysis_definition_version", "result_name", "result")
                .kind(Kind.STRING_LIST, "modules").kind(Kind.TIMESTAMP, "submitted", "analysis_started", "analysis_ended")
                .reference("host_vm_ref", "software").reference("operating_system_ref", "software").reference("installed_software_refs", "software")
                .reference("analysis_sco_refs", "<sco>").reference("sample_ref", "file", "artifact", "network-traffic")
                .check(TypeSpecs::checkMalwareAnalysis).build());
        specs.add(sdo("note").required("content", "object_refs").strings("abstract", "content").kind(Kind.STRING_LIST, "authors")
                .reference("object_refs", "<sdo>", "<sro>", "<sco>", "<meta>", "<custom>").build());
        specs.add(sdo("observed-data").required("first_observed", "last_observed", "number_observed")
                .kind(Kind.TIMESTAMP, "first_observed", "last_observed").integer("number_observed", 1, 999_999_999)
                .kind(Kind.DICTIONARY, "objects").reference("object_refs", "<sco>", "relationship")
                .check(order("first_observed", "last_observed", false)).check(TypeSpecs::checkObservedData).build());
        specs.add(sdo("opinion").required("opinion", "object_refs").strings("explanation", "opinion").kind(Kind.STRING_LIST, "authors")
                .reference("object_refs", "<sdo>", "<sro>", "<sco>", "<meta>", "<custom>").check(TypeSpecs::checkOpinion).build());
        specs.add(sdo("report").required("name", "published", "object_refs").strings("name", "description").kind(Kind.STRING_LIST, "report_types")
                .kind(Kind.TIMESTAMP, "published").reference("object_refs", "<sdo>", "<sro>", "<sco>", "<meta>", "<custom>").build());
        specs.add(sdo("threat-actor").required("name").strings("name", "description", "sophistication", "resource_level", "primary_motivation")
                .kind(Kind.STRING_LIST, "threat_actor_types", "aliases", "roles", "goals", "secondary_motivations", "personal_motivations")
                .kind(Kind.TIMESTAMP, "first_seen", "last_seen").check(order("first_seen", "last_seen", false)).build());
        specs.add(sdo("tool").required("name").strings("name", "description", "tool_version").kind(Kind.STRING_LIST, "tool_types", "aliases")
                .kind(Kind.KILL_CHAIN_PHASES, "kill_chain_phases").build());
        specs.add(sdo("vulnerability").required("name").strings("name", "description").build());

        // --- SROs (section 5) ----------------------------------------------------------------
        specs.add(sdoLike("relationship", ObjectCategory.SRO).required("relationship_type", "source_ref", "target_ref")
                .strings("relationship_type", "description").kind(Kind.TIMESTAMP, "start_time", "stop_time")
                .reference("source_ref", "<sdo>", "<sco>", "<custom>").reference("target_ref", "<sdo>", "<sco>", "<custom>")
                .check(TypeSpecs::checkRelationship).build());
        specs.add(sdoLike("sighting", ObjectCategory.SRO).required("sighting_of_ref").strings("description")
                .kind(Kind.TIMESTAMP, "first_seen", "last_seen").integer("count", 0, 999_999_999).kind(Kind.BOOLEAN, "summary")
                .reference("sighting_of_ref", "<sdo>", "<custom>").reference("observed_data_refs", "observed-data")
                .reference("where_sighted_refs", "identity", "location").check(TypeSpecs::checkSighting).build());

        // --- Meta objects (section 7) --------------------------------------------------------
        specs.add(new Builder("marking-definition", ObjectCategory.META)
                .required("type", "spec_version", "id", "created").kind(Kind.ANY, "type", "id").strings("spec_version", "name", "definition_type")
                .reference("created_by_ref", "identity").kind(Kind.TIMESTAMP, "created").kind(Kind.EXTERNAL_REFERENCES, "external_references")
                .reference("object_marking_refs", "marking-definition").kind(Kind.GRANULAR_MARKINGS, "granular_markings")
                .kind(Kind.EXTENSIONS, "extensions").kind(Kind.OBJECT, "definition").check(TypeSpecs::checkMarkingDefinition).build());
        specs.add(sdoLike("language-content", ObjectCategory.META).required("object_ref", "contents")
                .reference("object_ref", "<sdo>", "<sro>", "<sco>", "<meta>", "<custom>").kind(Kind.TIMESTAMP, "object_modified")
                .kind(Kind.DICTIONARY, "contents").check(TypeSpecs::checkLanguageContent).build());
        specs.add(sdoLike("extension-definition", ObjectCategory.META).required("created_by_ref", "name", "schema", "version", "extension_types")
                .strings("name", "description", "schema", "version").kind(Kind.STRING_LIST, "extension_types", "extension_properties")
                .check(TypeSpecs::checkExtensionDefinition).build());

        // --- SCOs (section 6) ----------------------------------------------------------------
        specs.add(sco("artifact").strings("mime_type", "url", "encryption_algorithm", "decryption_key").kind(Kind.BINARY, "payload_bin")
                .kind(Kind.HASHES, "hashes").check(TypeSpecs::checkArtifact).build());
        specs.add(sco("autonomous-system").required("number").integer("number", 0, Long.MAX_VALUE).strings("name", "rir").build());
        specs.add(sco("directory").required("path").strings("path", "path_enc").kind(Kind.TIMESTAMP, "ctime", "mtime", "atime")
                .reference("contains_refs", "file", "directory").build());
        specs.add(sco("domain-name").required("value").strings("value").reference("resolves_to_refs", "ipv4-addr", "ipv6-addr", "domain-name").build());
        specs.add(sco("email-addr").required("value").strings("value", "display_name").reference("belongs_to_ref", "user-account").build());
        specs.add(sco("email-message").required("is_multipart").kind(Kind.BOOLEAN, "is_multipart").kind(Kind.TIMESTAMP, "date")
                .strings("content_type", "message_id", "subject", "body").reference("from_ref", "email-addr").reference("sender_ref", "email-addr")
                .reference("to_refs", "email-addr").reference("cc_refs", "email-addr").reference("bcc_refs", "email-addr")
                .kind(Kind.STRING_LIST, "received_lines").kind(Kind.DICTIONARY, "additional_header_fields").kind(Kind.OBJECT_LIST, "body_multipart")
                .reference("raw_email_ref", "artifact").check(TypeSpecs::checkEmailMessage).build());
        specs.add(sco("file").kind(Kind.HASHES, "hashes").integer("size", 0, Long.MAX_VALUE).strings("name", "name_enc", "mime_type")
                .kind(Kind.HEX, "magic_number_hex").kind(Kind.TIMESTAMP, "ctime", "mtime", "atime").reference("parent_directory_ref", "directory")
                .reference("contains_refs", "<sco>").reference("content_ref", "artifact").check(TypeSpecs::checkFile).build());
        specs.add(sco("ipv4-addr").required("value").strings("value").reference("resolves_to_refs", "mac-addr")
                .reference("belongs_to_refs", "autonomous-system").build());
        specs.add(sco("ipv6-addr").required("value").strings("value").reference("resolves_to_refs", "mac-addr")
                .reference("belongs_to_refs", "autonomous-system").build());
        specs.add(sco("mac-addr").required("value").strings("value").build());
        specs.add(sco("mutex").required("name").strings("name").build());
        specs.add(sco("network-traffic").required("protocols").kind(Kind.TIMESTAMP, "start", "end").kind(Kind.BOOLEAN, "is_active")
                .reference("src_ref", "ipv4-addr", "ipv6-addr", "mac-addr", "domain-name").reference("dst_ref", "ipv4-addr", "ipv6-addr", "mac-addr", "domain-name")
                .integer("src_port", 0, 65535).integer("dst_port", 0, 65535).kind(Kind.STRING_LIST, "protocols")
                .integer("src_byte_count", 0, Long.MAX_VALUE).integer("dst_byte_count", 0, Long.MAX_VALUE)
                .integer("src_packets", 0, Long.MAX_VALUE).integer("dst_packets", 0, Long.MAX_VALUE).kind(Kind.DICTIONARY, "ipfix")
                .reference("src_payload_ref", "artifact").reference("dst_payload_ref", "artifact")
                .reference("encapsulates_refs", "network-traffic").reference("encapsulated_by_ref", "network-traffic")
                .check(TypeSpecs::checkNetworkTraffic).build());
        specs.add(sco("process").kind(Kind.BOOLEAN, "is_hidden").integer("pid", Long.MIN_VALUE, Long.MAX_VALUE).kind(Kind.TIMESTAMP, "created_time")
                .strings("cwd", "command_line").kind(Kind.DICTIONARY, "environment_variables").reference("opened_connection_refs", "network-traffic")
                .reference("creator_user_ref", "user-account").reference("image_ref", "file").reference("parent_ref", "process")
                .reference("child_refs", "process").build());
        specs.add(sco("software").required("name").strings("name", "cpe", "swid", "vendor", "version").kind(Kind.STRING_LIST, "languages").build());
        specs.add(sco("url").required("value").strings("value").build());
        specs.add(sco("user-account").strings("user_id", "credential", "account_login", "account_type", "display_name")
                .kind(Kind.BOOLEAN, "is_service_account", "is_privileged", "can_escalate_privs", "is_disabled")
                .kind(Kind.TIMESTAMP, "account_created", "account_expires", "credential_last_changed", "account_first_login", "account_last_login").build());
        specs.add(sco("windows-registry-key").strings("key").kind(Kind.OBJECT_LIST, "values").kind(Kind.TIMESTAMP, "modified_time")
                .reference("creator_user_ref", "user-account").integer("number_of_subkeys", 0, Long.MAX_VALUE).build());
        specs.add(sco("x509-certificate").kind(Kind.BOOLEAN, "is_self_signed").kind(Kind.HASHES, "hashes")
                .strings("version", "serial_number", "signature_algorithm", "issuer", "subject", "subject_public_key_algorithm", "subject_public_key_modulus")
                .kind(Kind.TIMESTAMP, "validity_not_before", "validity_not_after").integer("subject_public_key_exponent", 0, Long.MAX_VALUE)
                .kind(Kind.OBJECT, "x509_v3_extensions").check(order("validity_not_before", "validity_not_after", false)).build());

        Map<String, TypeSpec> byType = new HashMap<>();
        specs.forEach(spec -> byType.put(spec.type(), spec));
        return Map.copyOf(byType);
    }

    // --- builders ------------------------------------------------------------------------------

    private static Builder sdo(String type)
    {
        return sdoLike(type, ObjectCategory.SDO);
    }

    /** The common properties of SDOs, SROs, language-content, extension-definition and custom objects (section 3.2). */
    private static Builder sdoLike(String type, ObjectCategory category)
    {
        return new Builder(type, category)
                .required("type", "spec_version", "id", "created", "modified")
                .kind(Kind.ANY, "type", "id").strings("spec_version", "lang").reference("created_by_ref", "identity")
                .kind(Kind.TIMESTAMP, "created", "modified").kind(Kind.BOOLEAN, "revoked").kind(Kind.STRING_LIST, "labels")
                .integer("confidence", 0, 100).kind(Kind.EXTERNAL_REFERENCES, "external_references")
                .reference("object_marking_refs", "marking-definition").kind(Kind.GRANULAR_MARKINGS, "granular_markings")
                .kind(Kind.EXTENSIONS, "extensions");
    }

    /** The common properties of SCOs (section 6.1): spec_version is optional. */
    private static Builder sco(String type)
    {
        return new Builder(type, ObjectCategory.SCO)
                .required("type", "id").kind(Kind.ANY, "type", "id").strings("spec_version")
                .reference("object_marking_refs", "marking-definition").kind(Kind.GRANULAR_MARKINGS, "granular_markings")
                .kind(Kind.BOOLEAN, "defanged").kind(Kind.EXTENSIONS, "extensions");
    }

    private static final class Builder
    {
        private final String type;
        private final ObjectCategory category;
        private final List<String> required = new ArrayList<>();
        private final Map<String, PropertySpec> properties = new LinkedHashMap<>();
        private final List<ObjectCheck> checks = new ArrayList<>();

        Builder(String type, ObjectCategory category)
        {
            this.type = type;
            this.category = category;
        }

        Builder required(String... names)
        {
            required.addAll(List.of(names));
            return this;
        }

        Builder strings(String... names)
        {
            return kind(Kind.STRING, names);
        }

        Builder kind(Kind kind, String... names)
        {
            for (String name : names) {
                properties.put(name, PropertySpec.of(name, kind));
            }
            return this;
        }

        Builder integer(String name, long minimum, long maximum)
        {
            properties.put(name, new PropertySpec(name, Kind.INTEGER, ReferenceTarget.ANY, minimum, maximum));
            return this;
        }

        Builder reference(String name, String... targets)
        {
            Kind kind = name.endsWith("_refs") ? Kind.IDENTIFIER_LIST : Kind.IDENTIFIER;
            properties.put(name, new PropertySpec(name, kind, ReferenceTarget.of(targets), Long.MIN_VALUE, Long.MAX_VALUE));
            return this;
        }

        Builder check(ObjectCheck check)
        {
            checks.add(check);
            return this;
        }

        TypeSpec build()
        {
            return new TypeSpec(type, category, required, properties, checks);
        }
    }

    // --- rules across properties -----------------------------------------------------------------

    /** {@code later} must not be before {@code earlier} (or must be strictly after it, when {@code strict}). */
    private static ObjectCheck order(String earlier, String later, boolean strict)
    {
        return (object, context) -> {
            Instant first = Context.timestamp(object, earlier);
            Instant second = Context.timestamp(object, later);
            if (first != null && second != null && (strict ? !second.isAfter(first) : second.isBefore(first))) {
                String relation = strict ? "later than" : "later than or equal to";
                context.add(later, Rules.TIME_ORDER, "'" + later + "' must be " + relation + " '" + earlier + "' (" + object.get(later).stringValue()
                        + " vs " + object.get(earlier).stringValue() + ")");
            }
        };
    }

    private static void checkRelationship(JsonNode object, Context context)
    {
        JsonNode type = object.get("relationship_type");
        if (type != null && type.isString() && !isVocabularyTerm(type.stringValue())) {
            context.add("relationship_type", Rules.RELATIONSHIP_RULE, "relationship_type '" + type.stringValue()
                    + "' must contain only the characters a-z, 0-9 and hyphen");
        }
        Instant start = Context.timestamp(object, "start_time");
        Instant stop = Context.timestamp(object, "stop_time");
        if (start != null && stop != null && !stop.isAfter(start)) {
            context.add("stop_time", Rules.RELATIONSHIP_RULE, "stop_time must be later than start_time");
        }
    }

    private static void checkSighting(JsonNode object, Context context)
    {
        Instant first = Context.timestamp(object, "first_seen");
        Instant last = Context.timestamp(object, "last_seen");
        if (first != null && last != null && last.isBefore(first)) {
            context.add("last_seen", Rules.SIGHTING_RULE, "last_seen must be later than or equal to first_seen");
        }
    }

    private static void checkLocation(JsonNode object, Context context)
    {
        boolean latitude = object.has("latitude");
        boolean longitude = object.has("longitude");
        if (!object.has("region") && !object.has("country") && !(latitude && longitude)) {
            context.add("-", Rules.REQUIRED_PROPERTY, "a location must have at least one of region, country, or latitude and longitude");
        }
        if (latitude != longitude) {
            context.add(latitude ? "longitude" : "latitude", Rules.PROPERTY_DEPENDENCY, "latitude and longitude must be present together");
        }
        if (object.has("precision") && !(latitude && longitude)) {
            context.add("precision", Rules.PROPERTY_DEPENDENCY, "precision requires latitude and longitude");
        }
        range(object, context, "latitude", -90, 90);
        range(object, context, "longitude", -180, 180);
    }

    private static void range(JsonNode object, Context context, String property, double minimum, double maximum)
    {
        JsonNode value = object.get(property);
        if (value != null && value.isNumber() && (value.doubleValue() < minimum || value.doubleValue() > maximum)) {
            context.add(property, Rules.VALUE_RANGE, property + " must be between " + minimum + " and " + maximum);
        }
    }

    private static void checkMalware(JsonNode object, Context context)
    {
        JsonNode family = object.get("is_family");
        if (family != null && family.isBoolean() && family.booleanValue() && !object.has("name")) {
            context.add("name", Rules.REQUIRED_PROPERTY, "property 'name' is required for malware when is_family is true");
        }
    }

    private static void checkMalwareAnalysis(JsonNode object, Context context)
    {
        if (!object.has("result") && !object.has("analysis_sco_refs")) {
            context.add("result", Rules.REQUIRED_PROPERTY, "malware-analysis must have result or analysis_sco_refs");
        }
    }

    private static void checkObservedData(JsonNode object, Context context)
    {
        boolean objects = object.has("objects");
        boolean references = object.has("object_refs");
        if (objects == references) {
            context.add("object_refs", objects ? Rules.MUTUALLY_EXCLUSIVE : Rules.REQUIRED_PROPERTY,
                    objects ? "objects and object_refs must not both be present" : "observed-data must have object_refs (or the deprecated objects)");
        }
    }

    private static void checkOpinion(JsonNode object, Context context)
    {
        JsonNode opinion = object.get("opinion");
        if (opinion != null && opinion.isString() && !OPINION_VALUES.contains(opinion.stringValue())) {
            context.add("opinion", Rules.ENUMERATION, "opinion '" + opinion.stringValue() + "' is not one of " + String.join(", ", OPINION_VALUES.stream().sorted().toList()));
        }
    }

    private static void checkMarkingDefinition(JsonNode object, Context context)
    {
        if (object.has("modified")) {
            // Marking definitions cannot be versioned (section 7.2.1).
            context.add("modified", Rules.PROPERTY_NAME, "marking-definition objects must not have 'modified': they cannot be versioned");
        }
        boolean extensions = object.has("extensions");
        if (!extensions) {
            context.require(object, "definition_type", "when it has no extensions");
            context.require(object, "definition", "when it has no extensions");
        }
        JsonNode definitionType = object.get("definition_type");
        JsonNode definition = object.get("definition");
        if (definitionType == null || !definitionType.isString() || definition == null || !definition.isObject()) {
            return;
        }
        switch (definitionType.stringValue()) {
            case "statement" -> {
                JsonNode statement = definition.get("statement");
                if (statement == null || !statement.isString()) {
                    context.add("definition.statement", Rules.REQUIRED_PROPERTY, "a statement marking must have a string 'statement'");
                }
            }
            case "tlp" -> {
                JsonNode tlp = definition.get("tlp");
                if (tlp == null || !tlp.isString() || !TLP_VERSION_1_COLORS.contains(tlp.stringValue())) {
                    context.add("definition.tlp", Rules.TLP_MARKING, "a TLP marking must have 'tlp' of white, green, amber or red");
                    return;
                }
                Optional<String> expected = TlpMarkings.version1MarkingId(tlp.stringValue());
                if (expected.isPresent() && !expected.get().equals(context.objectId())) {
                    context.add("id", Rules.TLP_MARKING, "the TLP " + tlp.stringValue() + " marking must use its predefined id " + expected.get());
                }
            }
            default -> {
                // Other definition types are defined by extensions; nothing more to check here.
            }
        }
    }

    private static void checkLanguageContent(JsonNode object, Context context)
    {
        JsonNode contents = object.get("contents");
        if (contents == null || !contents.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> language : contents.properties()) {
            if (!language.getValue().isObject()) {
                context.add("contents." + language.getKey(), Rules.PROPERTY_TYPE, "each language of contents must map to a dictionary of translated properties");
            }
        }
    }

    private static void checkExtensionDefinition(JsonNode object, Context context)
    {
        JsonNode types = object.get("extension_types");
        if (types == null || !types.isArray()) {
            return;
        }
        for (JsonNode type : types) {
            if (type.isString() && !EXTENSION_TYPES.contains(type.stringValue())) {
                context.add("extension_types", Rules.ENUMERATION, "extension type '" + type.stringValue() + "' is not one of "
                        + String.join(", ", EXTENSION_TYPES.stream().sorted().toList()));
            }
        }
        JsonNode properties = object.get("extension_properties");
        boolean toplevel = false;
        for (JsonNode type : types) {
            toplevel |= type.isString() && type.stringValue().equals("toplevel-property-extension");
        }
        if (properties != null && !toplevel) {
            context.add("extension_properties", Rules.PROPERTY_DEPENDENCY, "extension_properties is only allowed with the toplevel-property-extension type");
        }
    }

    private static void checkArtifact(JsonNode object, Context context)
    {
        if (object.has("payload_bin") && object.has("url")) {
            context.add("url", Rules.MUTUALLY_EXCLUSIVE, "payload_bin and url must not both be present");
        }
        if (object.has("url") && !object.has("hashes")) {
            context.add("hashes", Rules.PROPERTY_DEPENDENCY, "hashes is required when url is present");
        }
    }

    private static void checkEmailMessage(JsonNode object, Context context)
    {
        JsonNode multipart = object.get("is_multipart");
        if (multipart == null || !multipart.isBoolean()) {
            return;
        }
        if (multipart.booleanValue() && object.has("body")) {
            context.add("body", Rules.MUTUALLY_EXCLUSIVE, "body must not be present when is_multipart is true");
        }
        if (!multipart.booleanValue() && object.has("body_multipart")) {
            context.add("body_multipart", Rules.MUTUALLY_EXCLUSIVE, "body_multipart must not be present when is_multipart is false");
        }
    }

    private static void checkFile(JsonNode object, Context context)
    {
        if (!object.has("hashes") && !object.has("name")) {
            context.add("-", Rules.REQUIRED_PROPERTY, "a file must have at least one of hashes or name");
        }
    }

    private static void checkNetworkTraffic(JsonNode object, Context context)
    {
        if (!object.has("src_ref") && !object.has("dst_ref")) {
            context.add("-", Rules.REQUIRED_PROPERTY, "network-traffic must have at least one of src_ref or dst_ref");
        }
        JsonNode active = object.get("is_active");
        if (active != null && active.isBoolean() && active.booleanValue() && object.has("end")) {
            context.add("end", Rules.MUTUALLY_EXCLUSIVE, "end must not be present when is_active is true");
        }
        Instant start = Context.timestamp(object, "start");
        Instant end = Context.timestamp(object, "end");
        if (start != null && end != null && end.isBefore(start)) {
            context.add("end", Rules.TIME_ORDER, "end must be later than or equal to start");
        }
    }

    static boolean isVocabularyTerm(String text)
    {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char character = text.charAt(i);
            if (!((character >= 'a' && character <= 'z') || (character >= '0' && character <= '9') || character == '-')) {
                return false;
            }
        }
        return true;
    }
}
