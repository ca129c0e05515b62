package org.vigie.node.exchange;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.policy.ReleaseDecision;
import org.vigie.exchange.service.PartnerRelease;
import org.vigie.exchange.service.ReleaseResult;
import org.vigie.node.cli.CommandContext;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import picocli.CommandLine;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "sighting", mixinStandardHelpOptions = true, description = "Sightings of indicators received from partners.")
final class SightingCommand
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (send)");
    }

    @CommandLine.Command(name = "send", mixinStandardHelpOptions = true,
            description = "Send a sighting back to the partner that sent the sighted indicator, under the release policy (queued; the running node delivers it); recorded in the audit ledger. "
                    + "Sent even if it was sent before (the node sends each new sighting once by itself, see exchange.sightings-back.enabled).")
    static final class Send
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        ExchangeDataDirectory dataDirectory;

        @CommandLine.Parameters(index = "0", paramLabel = "SIGHTING-ID", description = "The sighting (sighting--...).")
        String sightingId;

        @CommandLine.Option(names = "--collection", paramLabel = "ID", description = "The collection holding it (default: the first collection, by id, that does).")
        String collectionId;

        Send(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            if (!sightingId.startsWith("sighting--")) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "sighting send: '" + sightingId + "' is not a sighting id (sighting--...)");
            }
            try (ExchangeDataDirectory.OpenExchange open = dataDirectory.openExchange(context)) {
                StoredObject sighting = find(open.store());
                ReleaseResult result = open.exchange().service().sightingBack(sighting.object().tree(), ExchangeDataDirectory.actor());
                for (PartnerRelease release : result.partners()) {
                    if (release.envelopeId().isPresent()) {
                        context.out().println("sighting " + sightingId + " queued for partner " + release.partnerId() + " in envelope " + release.envelopeId().get()
                                + "; the running node delivers it (see 'vigie outbox --partner " + release.partnerId() + "')");
                        continue;
                    }
                    String why = release.decisions().stream().filter(decision -> decision.objectId().equals(sightingId)).findFirst()
                            .map(ReleaseDecision::explanation).orElse("withheld by the release policy");
                    throw new VigieException(ErrorCode.RELEASE_DENIED, "sighting " + sightingId + " is not sent to partner " + release.partnerId() + ": " + why);
                }
                return 0;
            }
        }

        private StoredObject find(ObjectStore store)
        {
            List<String> collections = collectionId != null
                    ? List.of(collectionId)
                    : store.listCollections().stream().map(CollectionInfo::id).sorted(Comparator.naturalOrder()).toList();
            if (collectionId != null && store.findCollection(collectionId).isEmpty()) {
                throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "sighting send: --collection " + collectionId + " does not exist");
            }
            for (String collection : collections) {
                Optional<StoredObject> found = store.findObjects(collection, ObjectQuery.all(1).withIds(List.of(sightingId))).objects().stream().findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
            throw new VigieException(ErrorCode.OBJECT_NOT_FOUND, "sighting send: " + sightingId + " is in no collection" + (collectionId != null ? " named " + collectionId : ""));
        }
    }
}
