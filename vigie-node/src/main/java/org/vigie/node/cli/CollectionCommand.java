package org.vigie.node.cli;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import picocli.CommandLine;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "collection", mixinStandardHelpOptions = true, description = "Manage TAXII collections.")
final class CollectionCommand
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (add, list)");
    }

    @CommandLine.Command(name = "add", mixinStandardHelpOptions = true, description = "Create a collection; prints its id.")
    static final class Add
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        DataDirectoryOption dataDirectory;

        @CommandLine.Option(names = "--title", required = true, description = "Title of the collection.")
        String title;

        @CommandLine.Option(names = "--id", description = "Collection id, a UUID (default: a random one).")
        String id;

        @CommandLine.Option(names = "--description", description = "Description of the collection.")
        String description;

        Add(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            String collectionId = id == null ? UUID.randomUUID().toString() : checkedUuid(id);
            if (title.isBlank()) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "--title must not be blank");
            }
            try (ObjectStore store = context.openStore(dataDirectory.load())) {
                if (store.findCollection(collectionId).isPresent()) {
                    throw new VigieException(ErrorCode.COLLECTION_EXISTS, "collection " + collectionId + " already exists in " + dataDirectory.dataDirectory);
                }
                store.createCollection(new CollectionInfo(collectionId, title.strip(), Optional.ofNullable(description), Optional.empty(), List.of(CollectionInfo.STIX_21_MEDIA_TYPE)));
            }
            context.out().println(collectionId);
            return Main.OK;
        }

        private static String checkedUuid(String text)
        {
            try {
                UUID uuid = UUID.fromString(text);
                if (uuid.toString().equals(text.toLowerCase())) {
                    return uuid.toString();
                }
            }
            catch (IllegalArgumentException e) {
                // reported below
            }
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "--id '" + text + "' is not a UUID such as 0b7d47a2-4d7c-4bb0-9ea5-4c8a7e1c9c3f");
        }
    }

    @CommandLine.Command(name = "list", mixinStandardHelpOptions = true, description = "List collections: id, object count, title.")
    static final class ListCollections
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        DataDirectoryOption dataDirectory;

        ListCollections(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            try (ObjectStore store = context.openStore(dataDirectory.load())) {
                for (CollectionInfo collection : store.listCollections().stream().sorted(Comparator.comparing(CollectionInfo::id)).toList()) {
                    context.out().println(collection.id() + "\t" + store.countObjects(collection.id()) + "\t" + collection.title());
                }
            }
            return Main.OK;
        }
    }
}
