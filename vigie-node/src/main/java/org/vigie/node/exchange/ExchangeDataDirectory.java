package org.vigie.node.exchange;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.node.cli.CommandContext;
import org.vigie.node.config.NodeConfig;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoreConfig;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/** The {@code --data-dir} option of the exchange commands, and what they open in it. */
final class ExchangeDataDirectory
{
    @CommandLine.Option(names = "--data-dir", paramLabel = "DIR", defaultValue = NodeConfig.DEFAULT_DATA_DIRECTORY,
            description = "Data directory of the node (default: ${DEFAULT-VALUE}); its vigie.properties is read when present.")
    Path dataDirectory;

    /** Who the ledger records as having made a change from the command line. */
    static String actor()
    {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    /** Opens the exchange beside the configured store, creating it when missing; close it. */
    ExchangeStorage open(CommandContext context)
    {
        return ExchangeStorage.open(dataDirectory, storeConfig(properties()), context.clock(), actor());
    }

    /** Opens the exchange of an existing data directory (commands that only read); close it. */
    ExchangeStorage openExisting(CommandContext context)
    {
        return ExchangeStorage.openExisting(dataDirectory, storeConfig(properties()), context.clock(), actor());
    }

    /** The store the data directory's configuration names (the exchange lives beside it). */
    static StoreConfig storeConfig(Map<String, String> properties)
    {
        return NodeConfig.fromProperties(ExchangeSettings.withoutExchangeKeys(properties)).store();
    }

    /** The keys of {@code <data-dir>/vigie.properties}, with {@code node.data-dir} set. */
    SortedMap<String, String> properties()
    {
        SortedMap<String, String> values = new TreeMap<>();
        Path file = dataDirectory.resolve(NodeConfig.PROPERTIES_FILE);
        if (Files.exists(file)) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            }
            catch (IOException | IllegalArgumentException e) {
                throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "cannot read configuration file " + file + ": " + e.getMessage(), e);
            }
            for (String name : properties.stringPropertyNames()) {
                values.put(name, properties.getProperty(name));
            }
        }
        values.put(NodeConfig.DATA_DIRECTORY, dataDirectory.toString());
        return values;
    }

    /** Opens the node's object store as configured (the {@code exchange.*} keys are the exchange's, not the node's). */
    ObjectStore openStore(CommandContext context, Map<String, String> properties)
    {
        NodeConfig config = NodeConfig.fromProperties(ExchangeSettings.withoutExchangeKeys(properties));
        return context.storeOpener().apply(config, context.clock());
    }

    /** The exchange with the object store, without a delivery scheduler; close both. */
    OpenExchange openExchange(CommandContext context)
    {
        SortedMap<String, String> properties = properties();
        ObjectStore store = openStore(context, properties);
        try {
            return new OpenExchange(store, ExchangeWiring.openWithoutDelivery(dataDirectory, storeConfig(properties), store, properties, context.clock(), actor()));
        }
        catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    record OpenExchange(ObjectStore store, ExchangeWiring exchange)
            implements AutoCloseable
    {
        @Override
        public void close()
        {
            try {
                exchange.close();
            }
            finally {
                store.close();
            }
        }
    }
}
