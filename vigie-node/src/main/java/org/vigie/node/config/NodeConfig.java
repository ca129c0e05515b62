package org.vigie.node.config;

import org.vigie.config.ConfigurationValues;
import org.vigie.console.ConsoleConfig;
import org.vigie.detection.DetectionConfig;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.kafka.KafkaConfig;
import org.vigie.kafka.MatchWorkerConfig;
import org.vigie.store.StoreConfig;
import org.vigie.taxii.server.TaxiiServerConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Typed configuration of one node. Keys are namespaced: {@code node.*} belongs to this class,
 * {@code store.*} to the object store, {@code http.*} and {@code taxii.*} to the TAXII server; those are
 * kept as sorted maps and handed to their modules, which validate them.
 *
 * @param dataDirectory where the node keeps its files ({@code node.data-dir})
 * @param administratorName the user created with a generated password on first start ({@code node.admin-user})
 * @param defaultCollectionTitle title of the collection created on first start ({@code node.default-collection.title})
 * @param importBatchSize objects committed per transaction by the importer ({@code node.import.batch-size})
 * @param storeProperties every {@code store.*} key, with {@code store.url} defaulting to the SQLite file of the data directory
 * @param serverProperties every {@code http.*} and {@code taxii.*} key
 * @param featureProperties every {@code exchange.*}, {@code detection.*}, {@code kafka.*}, {@code match-worker.*}, {@code metrics.*} and {@code console.*} key, validated by the feature that reads them
 */
public record NodeConfig(
        Path dataDirectory,
        String administratorName,
        String defaultCollectionTitle,
        int importBatchSize,
        SortedMap<String, String> storeProperties,
        SortedMap<String, String> serverProperties,
        SortedMap<String, String> featureProperties)
{
    public static final String PROPERTIES_FILE = "vigie.properties";
    public static final String DATABASE_FILE = "vigie.db";

    public static final String DATA_DIRECTORY = "node.data-dir";
    public static final String ADMINISTRATOR_NAME = "node.admin-user";
    public static final String DEFAULT_COLLECTION_TITLE = "node.default-collection.title";
    public static final String IMPORT_BATCH_SIZE = "node.import.batch-size";
    public static final String STORE_URL = "store.url";
    public static final String EXCHANGE_PREFIX = "exchange.";
    public static final String DETECTION_PREFIX = "detection.";
    public static final String KAFKA_PREFIX = "kafka.";
    public static final String MATCH_WORKER_PREFIX = "match-worker.";
    public static final String METRICS_PREFIX = "metrics.";
    public static final String CONSOLE_PREFIX = "console.";

    public static final String DEFAULT_DATA_DIRECTORY = "data";
    public static final String DEFAULT_ADMINISTRATOR_NAME = "admin";
    public static final String DEFAULT_COLLECTION_TITLE_VALUE = "Default collection";
    public static final int DEFAULT_IMPORT_BATCH_SIZE = 50_000;
    public static final int MAXIMUM_IMPORT_BATCH_SIZE = 100_000;

    public NodeConfig
    {
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(administratorName, "administratorName is null");
        requireNonNull(defaultCollectionTitle, "defaultCollectionTitle is null");
        storeProperties = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(storeProperties, "storeProperties is null")));
        serverProperties = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(serverProperties, "serverProperties is null")));
        featureProperties = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(featureProperties, "featureProperties is null")));
    }

    /**
     * Reads {@code <dataDirectory>/vigie.properties} when present, then applies {@code overrides}
     * (command-line options, as configuration keys) on top, and validates the result.
     */
    public static NodeConfig load(Path dataDirectory, Map<String, String> overrides)
    {
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(overrides, "overrides is null");
        Map<String, String> properties = new TreeMap<>(readPropertiesFile(dataDirectory.resolve(PROPERTIES_FILE)));
        properties.putAll(overrides);
        properties.put(DATA_DIRECTORY, dataDirectory.toString());
        return fromProperties(properties);
    }

    /** Builds a configuration from keys and values; every missing key takes its default. */
    public static NodeConfig fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        SortedMap<String, String> store = new TreeMap<>();
        SortedMap<String, String> server = new TreeMap<>();
        SortedMap<String, String> features = new TreeMap<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(properties).entrySet()) {
            String key = entry.getKey();
            requireNonNull(entry.getValue(), () -> "value of " + key + " is null");
            if (key.startsWith("store.")) {
                store.put(key, entry.getValue().strip());
            }
            else if (key.startsWith("http.") || key.startsWith("taxii.")) {
                server.put(key, entry.getValue().strip());
            }
            else if (key.startsWith(EXCHANGE_PREFIX) || key.startsWith(DETECTION_PREFIX) || key.startsWith(KAFKA_PREFIX) || key.startsWith(MATCH_WORKER_PREFIX)
                    || key.startsWith(METRICS_PREFIX)
                    || key.startsWith(CONSOLE_PREFIX)) {
                features.put(key, entry.getValue().strip());
            }
            else if (!key.equals(DATA_DIRECTORY) && !key.equals(ADMINISTRATOR_NAME) && !key.equals(DEFAULT_COLLECTION_TITLE) && !key.equals(IMPORT_BATCH_SIZE)) {
                throw ConfigurationValues.invalid(key, "is not a configuration key of the node (keys start with node., store., http., taxii., exchange., detection., kafka., match-worker., metrics. or console.)");
            }
        }
        ConfigurationValues values = ConfigurationValues.of(properties);
        Path dataDirectory = Path.of(values.text(DATA_DIRECTORY, DEFAULT_DATA_DIRECTORY));
        String administratorName = values.text(ADMINISTRATOR_NAME, DEFAULT_ADMINISTRATOR_NAME);
        if (!administratorName.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw ConfigurationValues.invalid(ADMINISTRATOR_NAME, administratorName, "must be 1 to 64 letters, digits, '.', '_', '@' or '-'");
        }
        String title = values.text(DEFAULT_COLLECTION_TITLE, DEFAULT_COLLECTION_TITLE_VALUE);
        int batchSize = values.wholeNumber(IMPORT_BATCH_SIZE, DEFAULT_IMPORT_BATCH_SIZE, 1, MAXIMUM_IMPORT_BATCH_SIZE);
        if (!store.containsKey(STORE_URL)) {
            store.put(STORE_URL, "jdbc:sqlite:" + dataDirectory.toAbsolutePath().normalize().resolve(DATABASE_FILE));
        }
        // Validated now so that a bad store.* key stops the node at start, naming the key.
        StoreConfig.fromProperties(store);
        TaxiiServerConfig.fromProperties(server);
        checkIngest(DetectionConfig.fromProperties(features), features);
        ConsoleConfig.fromProperties(features);
        return new NodeConfig(dataDirectory, administratorName, title, batchSize, store, server, features);
    }

    /** Publishing observations to the matching workers needs Kafka, and to know which collection the workers match. */
    private static void checkIngest(DetectionConfig detection, Map<String, String> features)
    {
        switch (detection.ingest()) {
            case LOCAL -> { }
            case KAFKA -> {
                String value = detection.ingest().value();
                if (!KafkaConfig.enabled(features)) {
                    throw ConfigurationValues.invalid(DetectionConfig.INGEST, value, "needs " + KafkaConfig.ENABLED + "=true: the observations go to the Kafka matching workers");
                }
                if (features.getOrDefault(MatchWorkerConfig.INDICATOR_COLLECTION, "").isBlank()) {
                    throw ConfigurationValues.invalid(DetectionConfig.INGEST, value, "needs " + MatchWorkerConfig.INDICATOR_COLLECTION
                            + ": the collection whose indicators the matching workers hold, the only one ingest then accepts");
                }
                // The workers read the same keys; a bad one is better found here than by each worker.
                KafkaConfig.fromProperties(features);
                MatchWorkerConfig.fromProperties(features);
            }
        }
    }

    /** Every key of this configuration with its effective value, sorted; the form {@code fromProperties} reads back. */
    public SortedMap<String, String> toProperties()
    {
        SortedMap<String, String> properties = new TreeMap<>();
        properties.put(DATA_DIRECTORY, dataDirectory.toString());
        properties.put(ADMINISTRATOR_NAME, administratorName);
        properties.put(DEFAULT_COLLECTION_TITLE, defaultCollectionTitle);
        properties.put(IMPORT_BATCH_SIZE, Integer.toString(importBatchSize));
        properties.putAll(storeProperties);
        properties.putAll(serverProperties);
        properties.putAll(featureProperties);
        return Collections.unmodifiableSortedMap(properties);
    }

    /** The object store's typed configuration. */
    public StoreConfig store()
    {
        return StoreConfig.fromProperties(storeProperties);
    }

    /** Live detection's typed configuration ({@code detection.*}). */
    public DetectionConfig detection()
    {
        return DetectionConfig.fromProperties(featureProperties);
    }

    /** The HTTP server's typed configuration. */
    public TaxiiServerConfig server()
    {
        return TaxiiServerConfig.fromProperties(serverProperties);
    }

    public Path propertiesFile()
    {
        return dataDirectory.resolve(PROPERTIES_FILE);
    }

    private static Map<String, String> readPropertiesFile(Path file)
    {
        if (!Files.exists(file)) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        catch (IOException | IllegalArgumentException e) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(name, properties.getProperty(name));
        }
        return values;
    }
}
