package org.vigie.taxii.server;

import org.vigie.error.VigieException;
import org.vigie.stix.ParsedObject;
import org.vigie.stix.StixObject;
import org.vigie.stix.validation.StixValidator;
import org.vigie.stix.validation.Violation;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Decides whether a POSTed object may be stored in a STIX 2.1 collection, with the STIX 2.1 validator and
 * the collection's media type: either the object, or the reason it is refused (reported in the status
 * resource's failures, one entry per object).
 */
final class ObjectAdmission
{
    private static final StixValidator VALIDATOR = StixValidator.create();

    private ObjectAdmission() {}

    record Decision(ParsedObject parsed, Optional<StixObject> object, Optional<String> refusal)
    {
        Decision
        {
            requireNonNull(parsed, "parsed is null");
            requireNonNull(object, "object is null");
            requireNonNull(refusal, "refusal is null");
        }

        /** The version text as the producer wrote it (modified, else created), for status details. */
        Optional<String> versionText()
        {
            JsonNode tree = parsed.tree();
            JsonNode version = tree.has("modified") ? tree.get("modified") : tree.get("created");
            return version != null && version.isString() ? Optional.of(version.stringValue()) : Optional.empty();
        }
    }

    static Decision decide(ParsedObject parsed)
    {
        List<Violation> violations = VALIDATOR.validate(parsed.tree());
        if (!violations.isEmpty()) {
            return refuse(parsed, violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        }
        StixObject object;
        try {
            object = StixObject.fromTree(parsed.tree(), parsed.json());
        }
        catch (VigieException e) {
            return refuse(parsed, e.getMessage());
        }
        if (!object.specVersion().equals("2.1")) {
            return refuse(parsed, object.id() + ": spec_version '" + object.specVersion() + "' is not accepted; this collection holds " + MediaTypes.STIX_21);
        }
        if (object.modified().isPresent() && object.created().isPresent() && object.modified().get().isBefore(object.created().get())) {
            return refuse(parsed, object.id() + ": modified is earlier than created");
        }
        return new Decision(parsed, Optional.of(object), Optional.empty());
    }

    private static Decision refuse(ParsedObject parsed, String reason)
    {
        return new Decision(parsed, Optional.empty(), Optional.of(reason));
    }
}
