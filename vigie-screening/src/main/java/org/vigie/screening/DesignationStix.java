package org.vigie.screening;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.Timestamps;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Designations as STIX 2.1 objects, so that they can be shared and linked: an entity designated
 * under a terrorism regime (UN Al-Qaida/ISIL, OFAC SDGT or FTO) becomes a threat-actor, every other
 * designation an identity. The id is a UUIDv5 of list and reference, and created/modified come from
 * the listing date, so exporting the same designation again gives the same object.
 */
public final class DesignationStix
{
    /** The UUIDv5 namespace of Vigie's designation identifiers (random, fixed forever). */
    public static final UUID NAMESPACE = UUID.fromString("6f5f2c0e-3b1d-4c55-9a43-2d0f6a1c9b7e");

    private DesignationStix() {}

    /** The STIX object of a designation; {@code fallbackCreated} is used when the list gives no listing date (OFAC). */
    public static JsonNode toStix(Designation designation, Instant fallbackCreated)
    {
        boolean threatActor = isThreatActor(designation);
        String type = threatActor ? "threat-actor" : "identity";
        Instant created = designation.listedOn().map(day -> day.atStartOfDay(ZoneOffset.UTC).toInstant()).orElse(fallbackCreated);
        String timestamp = Timestamps.format(created);
        ObjectNode node = StixJson.mapper().createObjectNode();
        node.put("type", type);
        node.put("spec_version", "2.1");
        node.put("id", type + "--" + identifier(designation));
        node.put("created", timestamp);
        node.put("modified", timestamp);
        node.put("name", designation.primaryName());
        node.put("description", description(designation));
        if (threatActor) {
            node.putArray("threat_actor_types").add("terrorist");
            ArrayNode aliases = node.putArray("aliases");
            designation.aliases().forEach(alias -> aliases.add(alias.name()));
            designation.originalScriptNames().forEach(aliases::add);
            if (aliases.isEmpty()) {
                node.remove("aliases");
            }
        }
        else {
            node.put("identity_class", switch (designation.type()) {
                case PERSON -> "individual";
                case ORGANIZATION -> "organization";
                case VESSEL, AIRCRAFT -> "unknown";
            });
        }
        ArrayNode labels = node.putArray("labels");
        labels.add("sanctioned");
        designation.programs().forEach(program -> labels.add(program.toLowerCase(Locale.ROOT)));
        ArrayNode references = node.putArray("external_references");
        ObjectNode reference = references.addObject();
        reference.put("source_name", sourceName(designation.list()));
        reference.put("external_id", designation.id());
        reference.put("url", url(designation));
        return node;
    }

    /** The deterministic UUIDv5 of a designation: namespace {@link #NAMESPACE}, name "list:reference". */
    public static UUID identifier(Designation designation)
    {
        return uuidVersion5(NAMESPACE, designation.key());
    }

    /** Every designation of the lists, in list order; OFAC objects without a listing date take the snapshot date. */
    public static List<JsonNode> toStix(SanctionsList list, Instant snapshot)
    {
        return list.designations().stream().map(designation -> toStix(designation, snapshot)).toList();
    }

    static boolean isThreatActor(Designation designation)
    {
        if (designation.type() != EntityType.ORGANIZATION) {
            return false;
        }
        return switch (designation.list()) {
            case SanctionsList.UN -> designation.id().startsWith("QDe.");
            case SanctionsList.OFAC_SDN -> designation.programs().stream().anyMatch(program -> program.equals("SDGT") || program.equals("FTO"));
            default -> false;
        };
    }

    private static String sourceName(String list)
    {
        return switch (list) {
            case SanctionsList.UN -> "un-security-council-consolidated-list";
            case SanctionsList.OFAC_SDN -> "ofac-sdn-list";
            default -> list.toLowerCase(Locale.ROOT);
        };
    }

    private static String url(Designation designation)
    {
        return switch (designation.list()) {
            case SanctionsList.UN -> "https://scsanctions.un.org/resources/xml/en/consolidated.xml";
            case SanctionsList.OFAC_SDN -> "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=" + designation.id();
            default -> "urn:vigie:list:" + designation.key();
        };
    }

    private static String description(Designation designation)
    {
        StringBuilder text = new StringBuilder();
        text.append("Designated on ").append(designation.list()).append(" as ").append(designation.id());
        if (!designation.programs().isEmpty()) {
            text.append(" (").append(String.join(", ", designation.programs())).append(')');
        }
        designation.listedOn().ifPresent(day -> text.append(", listed on ").append(day));
        text.append('.');
        if (!designation.birthDates().isEmpty()) {
            text.append(" Date of birth: ").append(String.join("; ", designation.birthDates().stream().map(BirthDate::text).toList())).append('.');
        }
        if (!designation.nationalities().isEmpty()) {
            text.append(" Nationality: ").append(String.join("; ", designation.nationalities())).append('.');
        }
        if (!designation.aliases().isEmpty() && !isThreatActor(designation)) {
            text.append(" Also known as: ").append(String.join("; ", designation.aliases().stream().map(Alias::name).toList())).append('.');
        }
        return text.toString();
    }

    static UUID uuidVersion5(UUID namespace, String name)
    {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            ByteBuffer buffer = ByteBuffer.allocate(16);
            buffer.putLong(namespace.getMostSignificantBits());
            buffer.putLong(namespace.getLeastSignificantBits());
            sha1.update(buffer.array());
            sha1.update(name.getBytes(StandardCharsets.UTF_8));
            byte[] hash = sha1.digest();
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
            ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
            return new UUID(bytes.getLong(), bytes.getLong());
        }
        catch (NoSuchAlgorithmException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "SHA-1 is not available for UUIDv5: " + e.getMessage(), e);
        }
    }
}
