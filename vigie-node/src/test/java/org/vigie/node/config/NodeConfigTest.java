package org.vigie.node.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.detection.DetectionConfig;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.taxii.server.TaxiiServerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeConfigTest
{
    @Test
    void defaults()
    {
        NodeConfig config = NodeConfig.fromProperties(Map.of());
        assertThat(config.dataDirectory()).isEqualTo(Path.of(NodeConfig.DEFAULT_DATA_DIRECTORY));
        assertThat(config.administratorName()).isEqualTo(NodeConfig.DEFAULT_ADMINISTRATOR_NAME);
        assertThat(config.defaultCollectionTitle()).isEqualTo(NodeConfig.DEFAULT_COLLECTION_TITLE_VALUE);
        assertThat(config.importBatchSize()).isEqualTo(NodeConfig.DEFAULT_IMPORT_BATCH_SIZE);
        // The store defaults to an SQLite file inside the data directory, not in the working directory.
        assertThat(config.store().isSqlite()).isTrue();
        assertThat(config.store().sqliteFile()).isEqualTo(Path.of(NodeConfig.DEFAULT_DATA_DIRECTORY).toAbsolutePath().normalize().resolve(NodeConfig.DATABASE_FILE));
        TaxiiServerConfig server = config.server();
        assertThat(server).isEqualTo(TaxiiServerConfig.defaults());
        assertThat(server.bind()).isEqualTo("127.0.0.1");
        assertThat(config.serverProperties()).isEmpty();
        assertThat(config.featureProperties()).isEmpty();
        assertThat(config.detection().enabled()).isFalse();
        assertThat(config.detection().ingest()).isEqualTo(DetectionConfig.Ingest.LOCAL);
    }

    @Test
    void fullMapping()
    {
        Map<String, String> properties = new TreeMap<>();
        properties.put("node.data-dir", "/var/lib/vigie");
        properties.put("node.admin-user", "root-operator");
        properties.put("node.default-collection.title", "Shared indicators");
        properties.put("node.import.batch-size", "500");
        properties.put("store.url", "jdbc:sqlite:/srv/vigie/store.db");
        properties.put("store.pool-size", "8");
        properties.put("http.bind", "0.0.0.0");
        properties.put("http.port", "8443");
        properties.put("taxii.api-root", "cti");
        properties.put("taxii.title", "Example node");
        properties.put("detection.enabled", "true");
        properties.put("detection.sightings-collection", "sightings");
        properties.put("exchange.delivery.interval-milliseconds", "250");
        properties.put("console.clearance.user.analyst.tlp", "red");

        NodeConfig config = NodeConfig.fromProperties(properties);

        assertThat(config.dataDirectory()).isEqualTo(Path.of("/var/lib/vigie"));
        assertThat(config.administratorName()).isEqualTo("root-operator");
        assertThat(config.defaultCollectionTitle()).isEqualTo("Shared indicators");
        assertThat(config.importBatchSize()).isEqualTo(500);
        assertThat(config.store().url()).isEqualTo("jdbc:sqlite:/srv/vigie/store.db");
        assertThat(config.store().poolSize()).isEqualTo(8);
        assertThat(config.server().bind()).isEqualTo("0.0.0.0");
        assertThat(config.server().port()).isEqualTo(8443);
        assertThat(config.server().apiRoot()).isEqualTo("cti");
        assertThat(config.server().title()).isEqualTo("Example node");
        assertThat(config.detection().enabled()).isTrue();
        assertThat(config.detection().sightingsCollection()).isEqualTo("sightings");
        // exchange.* keys are kept for the exchange, which validates them when it opens.
        assertThat(config.featureProperties()).containsEntry("exchange.delivery.interval-milliseconds", "250");
        assertThat(config.featureProperties()).containsEntry("console.clearance.user.analyst.tlp", "red");
        // Every key survives a round trip, so the effective configuration can be printed and read back.
        assertThat(config.toProperties()).isEqualTo(properties);
        assertThat(NodeConfig.fromProperties(config.toProperties())).isEqualTo(config);
    }

    @Test
    void fileIsReadAndCommandLineOverridesIt(@TempDir Path directory)
            throws IOException
    {
        Files.writeString(directory.resolve(NodeConfig.PROPERTIES_FILE), """
                # operator settings
                http.port=7000
                http.bind=127.0.0.2
                node.import.batch-size=123
                """);
        NodeConfig config = NodeConfig.load(directory, Map.of("http.port", "0"));
        assertThat(config.dataDirectory()).isEqualTo(directory);
        assertThat(config.server().port()).isEqualTo(0);
        assertThat(config.server().bind()).isEqualTo("127.0.0.2");
        assertThat(config.importBatchSize()).isEqualTo(123);
        assertThat(config.store().sqliteFile()).isEqualTo(directory.toAbsolutePath().normalize().resolve(NodeConfig.DATABASE_FILE));
    }

    @Test
    void errorsNameTheKey()
    {
        assertInvalid(Map.of("node.import.batch-size", "many"), "node.import.batch-size", "not a whole number");
        // Console keys are checked at start too, not when the first user signs in.
        assertInvalid(Map.of("console.clearance.default.tlp", "purple"), "console.clearance.default.tlp", "not a TLP 2.0 level");
        assertInvalid(Map.of("node.import.batch-size", "0"), "node.import.batch-size", "outside");
        assertInvalid(Map.of("node.admin-user", "bad name"), "node.admin-user", "letters");
        assertInvalid(Map.of("node.colour", "blue"), "node.colour", "not a configuration key");
        assertInvalid(Map.of("telemetry.enabled", "true"), "telemetry.enabled", "not a configuration key");
        assertInvalid(Map.of("store.urll", "jdbc:sqlite:x.db"), "store.urll", "unknown");
        assertInvalid(Map.of("store.url", "mysql://x"), "store.url", "must start with");
        assertInvalid(Map.of("http.port", "seventy"), "http.port", "not a whole number");
        assertInvalid(Map.of("http.prot", "80"), "http.prot", "unknown");
        assertInvalid(Map.of("detection.enabeld", "true"), "detection.enabeld", "unknown");
        assertInvalid(Map.of("node.default-collection.title", "  "), "node.default-collection.title", "must not be blank");
        assertInvalid(Map.of("detection.ingest", "remote"), "detection.ingest", "must be local");
    }

    @Test
    void ingestThroughKafkaNeedsKafkaAndTheWorkersCollection()
    {
        Map<String, String> properties = new TreeMap<>(Map.of(
                "detection.enabled", "true",
                "detection.ingest", "kafka",
                "kafka.enabled", "true",
                "kafka.bootstrap-servers", "kafka1.internal:9092",
                "match-worker.indicator-collection", "feeds"));
        assertThat(NodeConfig.fromProperties(properties).detection().ingest()).isEqualTo(DetectionConfig.Ingest.KAFKA);

        properties.remove("kafka.enabled");
        assertInvalid(properties, "'detection.ingest' = 'kafka'", "needs kafka.enabled=true");
        properties.put("kafka.enabled", "true");
        properties.remove("match-worker.indicator-collection");
        assertInvalid(properties, "'detection.ingest' = 'kafka'", "needs match-worker.indicator-collection");
        // The workers' keys are checked at the node's start too, since ingest relies on them.
        properties.put("match-worker.indicator-collection", "feeds");
        properties.put("match-worker.batch-size", "none");
        assertInvalid(properties, "match-worker.batch-size", "not a whole number");
    }

    private static void assertInvalid(Map<String, String> properties, String key, String why)
    {
        assertThatThrownBy(() -> NodeConfig.fromProperties(properties))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining(key)
                .hasMessageContaining(why);
    }
}
