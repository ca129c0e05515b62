package org.vigie.node.cli;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.screening.DesignationStix;
import org.vigie.screening.SanctionsList;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.store.AddOutcome;
import org.vigie.store.ObjectStore;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "stix", mixinStandardHelpOptions = true,
        description = {"The designations of the lists in effect as STIX 2.1 objects (an identity, or a threat-actor for terrorist entities),",
                "each with an external reference to its list entry, so they can be shared and linked.",
                "Without --collection: a bundle on standard output. With --collection: stored in that collection (running it again stores nothing new)."})
final class ListsStixCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @CommandLine.Mixin
    DataDirectoryOption dataDirectory;

    @CommandLine.Option(names = "--collection", paramLabel = "ID", description = "Store the objects in this collection instead of printing a bundle.")
    String collection;

    ListsStixCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        List<JsonNode> objects = new ArrayList<>();
        for (SanctionsList list : SanctionsListFiles.effective(dataDirectory.dataDirectory)) {
            objects.addAll(DesignationStix.toStix(list, snapshot(list)));
        }
        if (collection == null) {
            ObjectNode bundle = StixJson.mapper().createObjectNode();
            bundle.put("type", "bundle");
            bundle.put("id", "bundle--" + UUID.randomUUID());
            ArrayNode array = bundle.putArray("objects");
            objects.forEach(array::add);
            context.out().println(StixJson.compact(bundle));
            return Main.OK;
        }
        try (ObjectStore store = context.openStore(dataDirectory.load())) {
            if (store.findCollection(collection).isEmpty()) {
                throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "collection " + collection + " does not exist in " + dataDirectory.dataDirectory + " (see 'vigie collection list')");
            }
            List<StixObject> stixObjects = objects.stream().map(object -> StixObject.fromTree(object, StixJson.compact(object))).toList();
            long stored = store.addObjects(collection, stixObjects).stream().filter(outcome -> outcome.result() == AddOutcome.Result.STORED).count();
            context.out().println("designations: " + objects.size() + " objects, " + stored + " stored, " + (objects.size() - stored) + " already present, in collection " + collection);
        }
        return Main.OK;
    }

    /** The list's publication date when its version is one (UN and OFAC snapshots are dated), else now. */
    private Instant snapshot(SanctionsList list)
    {
        try {
            return LocalDate.parse(list.version()).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        catch (DateTimeParseException e) {
            return context.clock().instant();
        }
    }
}
