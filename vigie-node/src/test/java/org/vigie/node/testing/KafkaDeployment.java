package org.vigie.node.testing;

import org.vigie.kafka.KafkaTestCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * What the replicas of one test share: a new PostgreSQL database and a topic prefix of their own on the test JVM's
 * one Kafka broker, and the {@code vigie.properties} of each replica's data directory.
 */
public record KafkaDeployment(String database, String bootstrapServers, String topicPrefix)
{
    public KafkaDeployment
    {
        requireNonNull(database, "database is null");
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        requireNonNull(topicPrefix, "topicPrefix is null");
    }

    /** Starts the shared broker and the PostgreSQL server when not yet running; {@code name} is letters and '-'. */
    public static KafkaDeployment create(String name)
            throws Exception
    {
        KafkaTestCluster kafka = KafkaTestCluster.shared();
        return new KafkaDeployment(TestPostgres.newDatabase(name.replace('-', '_')), kafka.bootstrapServers(), name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    }

    /**
     * Creates {@code parent/name} holding the {@code vigie.properties} of a replica on this deployment (any HTTP port,
     * replica name {@code name}, Kafka enabled with topics of {@code partitions} partitions), followed by {@code more}.
     */
    public Path replicaDirectory(Path parent, String name, int partitions, List<String> more)
            throws IOException
    {
        Path data = parent.resolve(name);
        Files.createDirectories(data);
        List<String> lines = new ArrayList<>(List.of(
                "http.port=0",
                "store.url=" + database,
                "store.user=postgres",
                "exchange.replica-name=" + name,
                "kafka.enabled=true",
                "kafka.bootstrap-servers=" + bootstrapServers,
                "kafka.topic-prefix=" + topicPrefix,
                "kafka.partitions=" + partitions));
        lines.addAll(more);
        Files.writeString(data.resolve("vigie.properties"), String.join("\n", lines) + "\n");
        return data;
    }

    /** Copies the node's one exchange identity, created by the first replica at its start, into another replica's directory. */
    public static void shareIdentity(Path first, Path other)
            throws IOException
    {
        Path identity = other.resolve("exchange-identity.json");
        Files.createFile(identity, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(identity, Files.readAllBytes(first.resolve("exchange-identity.json")));
    }
}
