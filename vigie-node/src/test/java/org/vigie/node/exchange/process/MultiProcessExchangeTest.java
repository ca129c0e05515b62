package org.vigie.node.exchange.process;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.node.cli.CommandContext;
import org.vigie.node.cli.Main;
import org.vigie.node.server.NodeStores;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.node.testing.Keytool;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes A, B and C, each {@code vigie serve} in its own JVM on 127.0.0.1 with mutual TLS
 * ({@code http.tls.client-auth=need}, certificates made by keytool), set up only through the command
 * line: releases arrive only where A's policy allows, TLP:RED only at the named recipient, B does not
 * forward received AMBER+STRICT or H2 objects to C; then B (the receiver) and A (the sender) are killed
 * with SIGKILL while a stream of releases is being delivered, several times, and after each restart
 * every released object is at B exactly once, in release order, with a stored receipt at A; every
 * node's audit ledger verifies.
 */
class MultiProcessExchangeTest
{
    private static final String GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    private static final String AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
    private static final String AMBER_STRICT = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
    private static final String RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
    private static final String INBOUND = "exchange-inbound";
    private static final String PASSWORD = "changeit";
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration DELIVERY = Duration.ofSeconds(90);
    private static final int STREAM_OBJECTS = 12;
    private static final int RECEIVER_KILLS = 3;
    private static final int SENDER_KILLS = 3;
    private static final int RELEASE_KILLS = 3;
    private static final Pattern QUEUED = Pattern.compile("partner (\\S+): (\\d+) of (\\d+) object\\(s\\) released, queued (envelope--\\S+) sequence (\\d+)");
    private static final Pattern INDICATOR_ID = Pattern.compile("\"id\"\\s*:\\s*\"(indicator--[0-9a-f-]{36})\"");

    @TempDir
    Path directory;

    private String classPath;
    private final Map<String, Node> nodes = new TreeMap<>();
    private final List<NodeProcess> started = Collections.synchronizedList(new ArrayList<>());
    private final List<String> envelopesFromAToB = new ArrayList<>();

    record Result(int exitCode, String out, String err)
    {
        @Override
        public String toString()
        {
            return "exit " + exitCode + "\n--- out ---\n" + out + "\n--- err ---\n" + err;
        }
    }

    /** One node: its files, its identity as partners pin it, and its running process. */
    private static final class Node
    {
        final String name;
        final Path dataDirectory;
        final Path keystore;
        final Path certificate;
        final Path truststore;
        final Path errorLog;
        final int port;
        String identityId;
        Path signingKey;
        NodeProcess process;

        Node(String name, Path root, int port)
        {
            this.name = name;
            this.dataDirectory = root.resolve(name + "-data");
            this.keystore = root.resolve(name + ".p12");
            this.certificate = root.resolve(name + ".pem");
            this.truststore = root.resolve(name + "-trust.p12");
            this.errorLog = root.resolve(name + ".log");
            this.port = port;
        }

        String dir()
        {
            return dataDirectory.toString();
        }
    }

    @AfterEach
    void stopEveryChild()
    {
        // Every child JVM ever started, killed even when the test failed half-way.
        synchronized (started) {
            started.forEach(NodeProcess::close);
        }
    }

    @Test
    void threeNodesInSeparateProcessesExchangeUnderPolicyAndSurviveKills()
            throws Exception
    {
        classPath = NodeProcess.snapshotClassPath(directory);
        for (String name : List.of("a", "b", "c")) {
            nodes.put(name, new Node(name, directory, NodeProcess.freePort()));
        }
        Node a = nodes.get("a");
        Node b = nodes.get("b");
        Node c = nodes.get("c");
        createCertificates();
        for (Node node : nodes.values()) {
            writeProperties(node);
            readIdentity(node);
        }
        for (Node node : nodes.values()) {
            for (Node other : nodes.values()) {
                if (other != node) {
                    ok(cli("partner", "add", "--data-dir", node.dir(), "--name", other.name, "--identity", other.identityId,
                            "--endpoint", "https://127.0.0.1:" + other.port + "/", "--certificate", other.certificate.toString(),
                            "--signing-key", other.signingKey.toString(), "--title", "node " + other.name));
                }
            }
        }
        ok(cli("group", "add", "--data-dir", a.dir(), "--name", "pair-b", "--kind", "bilateral", "--member", "b"));
        ok(cli("group", "add", "--data-dir", a.dir(), "--name", "forum", "--kind", "multilateral", "--member", "b", "c"));
        setPolicy(a, "{\"name\": \"a-policy\", \"rules\": ["
                + "{\"name\": \"bilateral with b\", \"effect\": \"allow\", \"groups\": [\"pair-b\"], \"max_tlp\": \"red\"},"
                + "{\"name\": \"forum gets green\", \"effect\": \"allow\", \"groups\": [\"forum\"], \"max_tlp\": \"green\"},"
                + "{\"name\": \"no internal\", \"effect\": \"deny\", \"all_partners\": true, \"labels\": [\"internal\"]}]}");
        // B would share anything with anyone: only the rules on received objects hold back what it got from A.
        setPolicy(b, "{\"name\": \"b-policy\", \"rules\": [{\"name\": \"share all\", \"effect\": \"allow\", \"all_partners\": true}]}");
        setPolicy(c, "{\"name\": \"c-policy\", \"rules\": [{\"name\": \"share all\", \"effect\": \"allow\", \"all_partners\": true}]}");

        // A's objects, one collection per scenario, so that a release offers an object with its marking-definitions.
        Map<String, String> ids = new LinkedHashMap<>();
        for (String label : List.of("bil-green", "bil-amber", "bil-internal", "mul-green", "mul-amber", "red-named", "red-anonymous", "strict", "h2", "fwd-green")) {
            ids.put(label, "indicator--" + UUID.nameUUIDFromBytes(label.getBytes(StandardCharsets.UTF_8)));
        }
        String toB = VigieMarking.empty().withRecipients(List.of(b.identityId)).toMarkingDefinition(Instant.parse("2026-01-01T00:00:00Z"), a.identityId).toString();
        String h2 = VigieMarking.empty().withHandling(HandlingCode.H2, Optional.empty()).toMarkingDefinition(Instant.parse("2026-01-01T00:00:00Z"), a.identityId).toString();
        String bilateral = collection(a, "bilateral", List.of(
                indicator(ids.get("bil-green"), List.of(GREEN), List.of()),
                indicator(ids.get("bil-amber"), List.of(AMBER), List.of()),
                indicator(ids.get("bil-internal"), List.of(GREEN), List.of("internal"))));
        String forum = collection(a, "forum", List.of(
                indicator(ids.get("mul-green"), List.of(GREEN), List.of()),
                indicator(ids.get("mul-amber"), List.of(AMBER), List.of())));
        String red = collection(a, "red", List.of(toB,
                indicator(ids.get("red-named"), List.of(RED, idOf(toB)), List.of()),
                indicator(ids.get("red-anonymous"), List.of(RED), List.of())));
        String strict = collection(a, "strict", List.of(h2,
                indicator(ids.get("strict"), List.of(AMBER_STRICT), List.of()),
                indicator(ids.get("h2"), List.of(GREEN, idOf(h2)), List.of()),
                indicator(ids.get("fwd-green"), List.of(GREEN), List.of())));
        List<List<String>> streams = new ArrayList<>();
        List<String> streamCollections = new ArrayList<>();
        for (int round = 0; round < RECEIVER_KILLS + SENDER_KILLS + RELEASE_KILLS; round++) {
            List<String> objects = new ArrayList<>();
            List<String> json = new ArrayList<>();
            for (int index = 0; index < STREAM_OBJECTS; index++) {
                String id = "indicator--" + UUID.nameUUIDFromBytes(("stream-" + round + "-" + index).getBytes(StandardCharsets.UTF_8));
                objects.add(id);
                json.add(indicator(id, List.of(GREEN), List.of()));
            }
            streams.add(objects);
            streamCollections.add(collection(a, "stream-" + round, json));
        }

        for (Node node : nodes.values()) {
            start(node);
        }

        // Policy: bilateral, multilateral, TLP:RED.
        Result bilateralRelease = release(a, bilateral, List.of(), "pair-b");
        assertThat(bilateralRelease.out()).contains("  withheld " + ids.get("bil-internal") + ": DENIED_BY_RULE (rule 'no internal')").doesNotContain("partner c");
        Result forumRelease = release(a, forum, List.of(), "forum");
        assertThat(forumRelease.out()).contains("  withheld " + ids.get("mul-amber") + ": NO_RULE_ALLOWS");
        Result redRelease = release(a, red, List.of(), "forum");
        assertThat(redRelease.out()).contains(
                "  withheld " + ids.get("red-anonymous") + ": RED_WITHOUT_NAMED_RECIPIENTS",
                "  withheld " + ids.get("red-named") + ": NOT_A_NAMED_RECIPIENT");
        assertThat(redRelease.out()).containsPattern("partner c: 0 of \\d+ object\\(s\\) released, nothing queued");
        Result strictRelease = release(a, strict, List.of(), "pair-b");
        assertThat(strictRelease.out()).contains("partner b: 3 of 3 object(s) released");
        awaitOutboxEmpty(a, "b");
        awaitOutboxEmpty(a, "c");

        assertThat(indicators(b, false)).containsExactlyInAnyOrder(ids.get("bil-green"), ids.get("bil-amber"), ids.get("mul-green"), ids.get("mul-amber"),
                ids.get("red-named"), ids.get("strict"), ids.get("h2"), ids.get("fwd-green"));
        assertThat(indicators(c, false)).containsExactly(ids.get("mul-green"));

        // B re-releases everything it received to C: received AMBER, AMBER+STRICT, RED and H2 stay at B.
        Result forward = release(b, INBOUND, List.of(), "c");
        assertThat(forward.out()).contains(
                "  withheld " + ids.get("strict") + ": RECEIVED_NOT_FOR_THIRD_PARTY",
                "  withheld " + ids.get("h2") + ": RECEIVED_NOT_FOR_THIRD_PARTY",
                "  withheld " + ids.get("bil-amber") + ": RECEIVED_NOT_FOR_THIRD_PARTY",
                "  withheld " + ids.get("red-named") + ": RECEIVED_NOT_FOR_THIRD_PARTY",
                "  released " + ids.get("fwd-green") + ": ALLOWED_BY_RULE");
        awaitOutboxEmpty(b, "c");
        assertThat(indicators(c, false)).containsExactlyInAnyOrder(ids.get("mul-green"), ids.get("bil-green"), ids.get("fwd-green"));
        assertThat(receivedFrom(c, "a")).containsExactly(ids.get("mul-green"));
        assertThat(receivedFrom(c, "b")).containsExactlyInAnyOrder(ids.get("mul-green"), ids.get("bil-green"), ids.get("fwd-green"));

        // Faults: SIGKILL the receiver, then the sender, while A releases a stream of objects one envelope each.
        for (int round = 0; round < RECEIVER_KILLS + SENDER_KILLS; round++) {
            Node victim = round < RECEIVER_KILLS ? b : a;
            streamWithKill(a, streamCollections.get(round), streams.get(round), victim);
            awaitOutboxEmpty(a, "b");
            List<String> atB = indicators(b, true);
            for (String id : streams.get(round)) {
                assertThat(Collections.frequency(atB, id)).as("round %d (killed %s): copies of %s at b", round, victim.name, id).isEqualTo(1);
            }
            assertReceiptsInOrderExactlyOnce(a, b);
        }

        // SIGKILL the release command itself (its own process, as an operator runs it) at a random moment:
        // its transaction either committed a whole envelope or left nothing, and B gets the stream once.
        Random random = new Random(20260301);
        for (int round = RECEIVER_KILLS + SENDER_KILLS; round < streams.size(); round++) {
            killReleaseProcess(a, streamCollections.get(round), streams.get(round), random.nextInt(4_000));
            awaitOutboxEmpty(a, "b");
            List<String> atB = indicators(b, true);
            for (String id : streams.get(round)) {
                assertThat(Collections.frequency(atB, id)).as("release process round %d: copies of %s at b", round, id).isEqualTo(1);
            }
            assertReceiptsInOrderExactlyOnce(a, b);
        }

        // Every envelope A queued for B is stored, with its receipt, once, in order.
        Result outbox = ok(cli("outbox", "--data-dir", a.dir(), "--partner", "b"));
        assertThat(outbox.out()).startsWith("partner b: " + envelopesFromAToB.size() + " envelope(s), depth 0, STORED " + envelopesFromAToB.size() + "\n");
        assertThat(outbox.out()).contains("  last receipt: ");
        List<String> allAtB = indicators(b, true);
        for (List<String> stream : streams) {
            for (String id : stream) {
                assertThat(Collections.frequency(allAtB, id)).as("copies of %s at b", id).isEqualTo(1);
            }
        }
        assertThat(Collections.disjoint(indicators(c, true), streams.stream().flatMap(List::stream).toList())).as("no stream object reached c").isTrue();

        // A narrowing written to A's store without a release (an import by another process) reaches every holder:
        // b (bilateral up to RED) gets the AMBER version, c (forum, up to GREEN) a recall from A, and B's own follower
        // recalls from c the copy B had forwarded, since AMBER received from A is not for a third party.
        String mulGreen = ids.get("mul-green");
        Path narrowed = directory.resolve("a-narrowed.json");
        Files.writeString(narrowed, "{\"type\":\"bundle\",\"id\":\"bundle--" + UUID.randomUUID() + "\",\"objects\":["
                + indicator(mulGreen, List.of(AMBER), List.of()).replace("\"modified\":\"2026-01-01T00:00:00.000Z\"", "\"modified\":\"2026-02-01T00:00:00.000Z\"") + "]}");
        assertThat(ok(cli("import", "--data-dir", a.dir(), "--collection", forum, narrowed.toString())).out()).contains("1 stored");
        await("a's recall of " + mulGreen + " acknowledged by c", () -> cli("recall", "status", "--data-dir", a.dir(), "--object", mulGreen).out().contains("c\tacknowledged"));
        await("b's recall of " + mulGreen + " acknowledged by c", () -> cli("recall", "status", "--data-dir", b.dir(), "--object", mulGreen).out().contains("c\tacknowledged"));
        await("the AMBER version of " + mulGreen + " stored at b", () -> Collections.frequency(indicators(b, true), mulGreen) == 2);
        assertThat(indicators(c, true)).doesNotContain(mulGreen);
        assertThat(cli("recall", "status", "--data-dir", a.dir(), "--object", mulGreen).out()).doesNotContain("b\t");

        for (Node node : nodes.values()) {
            assertThat(node.process.terminate(Duration.ofSeconds(60))).as("node %s stopped by SIGTERM", node.name).isIn(0, 130, 143);
        }
        for (Node node : nodes.values()) {
            Result verify = cli("audit", "verify", "--data-dir", node.dir());
            assertThat(verify.exitCode()).as(verify.toString()).isZero();
            assertThat(verify.out()).containsPattern("verified: \\d+ entries, head \\d+:[0-9a-f]{64}");
        }
    }

    /**
     * Releases the stream one object per release (one envelope each) from this thread's helper while the
     * victim is killed once delivery of the stream has begun; the victim is restarted after the stream is
     * queued, and the stream is then delivered.
     */
    private void streamWithKill(Node sender, String collectionId, List<String> objectIds, Node victim)
            throws Exception
    {
        int storedBefore = stored(sender, "b");
        List<String> queued = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> releases = CompletableFuture.runAsync(() -> {
            for (String objectId : objectIds) {
                Result result = release(sender, collectionId, List.of(objectId), "b");
                Matcher matcher = QUEUED.matcher(result.out());
                assertThat(matcher.find()).as(result.toString()).isTrue();
                queued.add(matcher.group(4));
            }
        });
        try {
            // Kill once B has stored part of the stream: the sender is then pushing and the receiver storing.
            await("b stores the first envelopes of " + collectionId, () -> releases.isDone() || stored(sender, "b") >= storedBefore + 2);
            victim.process.kill();
            releases.get(120, TimeUnit.SECONDS);
        }
        finally {
            releases.cancel(true);
        }
        System.out.println(collectionId + ": killed " + victim.name + " with " + (stored(sender, "b") - storedBefore) + " of " + objectIds.size() + " stored");
        assertThat(stored(sender, "b")).as("not all of %s was stored before %s was killed", collectionId, victim.name).isLessThan(storedBefore + objectIds.size());
        envelopesFromAToB.addAll(queued);
        start(victim);
    }

    /**
     * Runs {@code vigie release} for the whole collection in a child JVM and kills it after the delay; when
     * it did not commit, the operator runs it again. Either way exactly one envelope carries the stream.
     */
    private void killReleaseProcess(Node sender, String collectionId, List<String> objectIds, int delayMilliseconds)
            throws Exception
    {
        int envelopesBefore = envelopes(sender, "b");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPath, Main.class.getName(), "release", "--data-dir", sender.dir(), "--collection", collectionId, "--to", "b");
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(directory.resolve("release-" + collectionId + ".log").toFile()))
                .start();
        try {
            process.getOutputStream().close();
            // The delay only picks the moment of the kill; nothing waits for work here.
            process.waitFor(delayMilliseconds, TimeUnit.MILLISECONDS);
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("release process killed").isTrue();
        }
        finally {
            process.destroyForcibly();
        }
        int envelopesAfter = envelopes(sender, "b");
        assertThat(envelopesAfter - envelopesBefore).as("envelopes queued by a killed release").isBetween(0, 1);
        if (envelopesAfter == envelopesBefore) {
            Result again = release(sender, collectionId, List.of(), "b");
            assertThat(again.out()).contains("partner b: " + objectIds.size() + " of " + objectIds.size() + " object(s) released");
        }
        else {
            Result audit = ok(cli("audit", "query", "--data-dir", sender.dir(), "--partner", "b", "--kind", "release", "--object", objectIds.get(0)));
            List<String> lines = audit.out().lines().toList();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0).split("\t")[5]).contains(objectIds.toArray(String[]::new));
            envelopesFromAToB.add(lines.get(0).split("\t")[7]);
        }
        System.out.println("release process killed after " + delayMilliseconds + " ms: " + (envelopesAfter == envelopesBefore ? "nothing committed, released again" : "committed"));
    }

    /** Envelopes queued for the partner, whatever their state. */
    private int envelopes(Node node, String partner)
    {
        String first = ok(cli("outbox", "--data-dir", node.dir(), "--partner", partner)).out().lines().findFirst().orElseThrow();
        Matcher matcher = Pattern.compile(": (\\d+) envelope\\(s\\)").matcher(first);
        assertThat(matcher.find()).as(first).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    /** B's receipts from A: one per envelope A queued, in A's release order, none twice. */
    private void assertReceiptsInOrderExactlyOnce(Node sender, Node receiver)
    {
        Result receipts = ok(cli("audit", "query", "--data-dir", receiver.dir(), "--partner", sender.name, "--kind", "receipt"));
        List<String> envelopes = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        for (String line : receipts.out().lines().toList()) {
            String[] fields = line.split("\t");
            envelopes.add(fields[7]);
            Matcher matcher = Pattern.compile("sequence (\\d+)").matcher(fields[8]);
            assertThat(matcher.find()).as(line).isTrue();
            sequences.add(Long.parseLong(matcher.group(1)));
        }
        assertThat(envelopes).as("receipts at %s", receiver.name).containsExactlyElementsOf(envelopesFromAToB);
        for (int index = 0; index < sequences.size(); index++) {
            assertThat(sequences.get(index)).isEqualTo(index + 1L);
        }
    }

    private Result release(Node node, String collectionId, List<String> objectIds, String... targets)
    {
        List<String> arguments = new ArrayList<>(List.of("release", "--data-dir", node.dir(), "--collection", collectionId));
        for (String objectId : objectIds) {
            arguments.add("--object");
            arguments.add(objectId);
        }
        arguments.add("--to");
        arguments.addAll(List.of(targets));
        Result result = ok(cli(arguments.toArray(String[]::new)));
        if (node.name.equals("a")) {
            Matcher matcher = QUEUED.matcher(result.out());
            while (matcher.find()) {
                if (matcher.group(1).equals("b") && objectIds.isEmpty()) {
                    envelopesFromAToB.add(matcher.group(4));
                }
            }
        }
        return result;
    }

    /** Envelopes for the partner in state STORED, from {@code vigie outbox}. */
    private int stored(Node node, String partner)
    {
        String first = ok(cli("outbox", "--data-dir", node.dir(), "--partner", partner)).out().lines().findFirst().orElseThrow();
        Matcher matcher = Pattern.compile("STORED (\\d+)").matcher(first);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    private void awaitOutboxEmpty(Node node, String partner)
            throws InterruptedException
    {
        await(node.name + "'s outbox for " + partner + " delivered", () -> cli("outbox", "--data-dir", node.dir(), "--partner", partner).out().contains(", depth 0"));
    }

    private void await(String what, BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder state = new StringBuilder();
                for (Node node : nodes.values()) {
                    state.append("\n--- ").append(node.name).append(" outbox ---\n").append(cli("outbox", "--data-dir", node.dir()).out());
                    state.append("--- ").append(node.name).append(" log ---\n").append(node.process == null ? "" : node.process.errors());
                }
                throw new AssertionError("not within " + DELIVERY + ": " + what + state);
            }
            // Polling interval for a condition in other processes; not a wait for work to finish.
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Ids of the indicators in the node's inbound collection (every stored version with {@code allVersions}). */
    private List<String> indicators(Node node, boolean allVersions)
    {
        List<String> arguments = new ArrayList<>(List.of("export", "--data-dir", node.dir(), "--collection", INBOUND));
        if (allVersions) {
            arguments.add("--all-versions");
        }
        Result export = ok(cli(arguments.toArray(String[]::new)));
        List<String> ids = new ArrayList<>();
        Matcher matcher = INDICATOR_ID.matcher(export.out());
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    /** Indicators the node's receipts record as received from the partner. */
    private Set<String> receivedFrom(Node node, String partner)
    {
        Result receipts = ok(cli("audit", "query", "--data-dir", node.dir(), "--partner", partner, "--kind", "receipt"));
        return receipts.out().lines()
                .map(line -> line.split("\t")[5])
                .flatMap(objects -> List.of(objects.substring("objects=".length()).split(",")).stream())
                .filter(id -> id.startsWith("indicator--"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private void start(Node node)
            throws InterruptedException
    {
        node.process = NodeProcess.serve(node.name, classPath, node.dataDirectory, node.errorLog, START);
        started.add(node.process);
    }

    private void createCertificates()
            throws Exception
    {
        for (Node node : nodes.values()) {
            Keytool.run("-genkeypair", "-alias", node.name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=node-" + node.name + ",O=Vigie test",
                    "-ext", "SAN=ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12", "-keystore", node.keystore.toString(),
                    "-storepass", PASSWORD, "-keypass", PASSWORD);
            Keytool.run("-exportcert", "-rfc", "-alias", node.name, "-keystore", node.keystore.toString(), "-storepass", PASSWORD, "-file", node.certificate.toString());
        }
        for (Node node : nodes.values()) {
            for (Node other : nodes.values()) {
                if (other != node) {
                    Keytool.run("-importcert", "-noprompt", "-alias", other.name, "-file", other.certificate.toString(), "-storetype", "PKCS12",
                            "-keystore", node.truststore.toString(), "-storepass", PASSWORD);
                }
            }
        }
    }

    private static void writeProperties(Node node)
            throws IOException
    {
        Files.createDirectories(node.dataDirectory);
        Files.writeString(node.dataDirectory.resolve("vigie.properties"), String.join("\n",
                "http.port=" + node.port,
                "http.tls.keystore=" + node.keystore,
                "http.tls.keystore-password=" + PASSWORD,
                "http.tls.truststore=" + node.truststore,
                "http.tls.truststore-password=" + PASSWORD,
                "http.tls.client-auth=need",
                "exchange.delivery.interval-milliseconds=100",
                "exchange.outbox.retry-initial-milliseconds=100",
                "exchange.outbox.retry-max-milliseconds=1000",
                "exchange.delivery.connect-timeout-milliseconds=2000",
                "exchange.delivery.request-timeout-milliseconds=20000",
                ""));
    }

    private void readIdentity(Node node)
            throws IOException
    {
        Result shown = ok(cli("identity", "show", "--data-dir", node.dir()));
        List<String> lines = shown.out().lines().toList();
        assertThat(lines.get(0)).startsWith("identity: identity--");
        node.identityId = lines.get(0).substring("identity: ".length());
        node.signingKey = directory.resolve(node.name + ".jwk");
        Files.writeString(node.signingKey, lines.get(1).substring("signing key: ".length()));
        assertThat(lines.get(2)).startsWith("certificate sha256: ").doesNotContain("none");
    }

    private void setPolicy(Node node, String json)
            throws IOException
    {
        Path file = directory.resolve(node.name + "-policy.json");
        Files.writeString(file, json);
        ok(cli("policy", "set", "--data-dir", node.dir(), file.toString()));
    }

    /** Creates a collection on the node and imports the objects into it; returns its id. */
    private String collection(Node node, String title, List<String> objects)
            throws IOException
    {
        String id = UUID.nameUUIDFromBytes(title.getBytes(StandardCharsets.UTF_8)).toString();
        ok(cli("collection", "add", "--data-dir", node.dir(), "--title", title, "--id", id));
        Path bundle = directory.resolve(node.name + "-" + title + ".json");
        Files.writeString(bundle, "{\"type\":\"bundle\",\"id\":\"bundle--" + UUID.randomUUID() + "\",\"objects\":[" + String.join(",", objects) + "]}");
        Result imported = ok(cli("import", "--data-dir", node.dir(), "--collection", id, bundle.toString()));
        assertThat(imported.out()).contains(objects.size() + " stored, 0 duplicates, 0 rejected");
        return id;
    }

    private static String indicator(String id, List<String> markings, List<String> labels)
    {
        String quotedMarkings = markings.stream().map(marking -> "\"" + marking + "\"").collect(Collectors.joining(","));
        String quotedLabels = labels.stream().map(label -> "\"" + label + "\"").collect(Collectors.joining(","));
        return "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                + "\"modified\":\"2026-01-01T00:00:00.000Z\",\"pattern\":\"[domain-name:value = '" + id.substring(11, 19) + ".example']\",\"pattern_type\":\"stix\","
                + "\"valid_from\":\"2026-01-01T00:00:00Z\",\"object_marking_refs\":[" + quotedMarkings + "]"
                + (labels.isEmpty() ? "" : ",\"labels\":[" + quotedLabels + "]") + "}";
    }

    private static String idOf(String json)
    {
        Matcher matcher = Pattern.compile("\"id\"\\s*:\\s*\"(marking-definition--[0-9a-f-]{36})\"").matcher(json);
        assertThat(matcher.find()).as(json).isTrue();
        return matcher.group(1);
    }

    private static Result ok(Result result)
    {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    /** One command of the node's command line, in this process, on the real files of a data directory. */
    private static Result cli(String... arguments)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), InstantSource.system(), false, NodeStores::open, PasswordHasher.withIterations(1_000));
        int exitCode = Main.execute(context, arguments);
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
