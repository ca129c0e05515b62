package org.vigie.node.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.node.config.NodeConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vigie serve} in a child JVM: first start, an authenticated request over HTTP, and a second start. */
class ServeProcessTest
{
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String TAXII_ACCEPT = "application/taxii+json;version=2.1";

    @Test
    void firstStartCreatesEverythingAndPrintsThePasswordOnce(@TempDir Path directory)
            throws Exception
    {
        Path dataDirectory = directory.resolve("node-data");
        String url;
        String user;
        String password;
        String collectionId;
        try (ChildProcess node = ChildProcess.start(directory.resolve("first.err"), "serve", "--data-dir", dataDirectory.toString(), "--port", "0")) {
            node.awaitLine(line -> line.startsWith("Press Ctrl+C"), START_TIMEOUT);
            List<String> lines = node.seen();
            url = value(lines, ServeCommand.URL_LINE);
            user = value(lines, ServeCommand.USER_LINE);
            password = value(lines, ServeCommand.PASSWORD_LINE);
            collectionId = value(lines, ServeCommand.COLLECTION_LINE).split(" ")[0];
            assertThat(url).startsWith("http://127.0.0.1:");
            assertThat(user).isEqualTo(NodeConfig.DEFAULT_ADMINISTRATOR_NAME);
            assertThat(password).hasSizeGreaterThanOrEqualTo(20);
            assertThat(Files.isRegularFile(dataDirectory.resolve(NodeConfig.DATABASE_FILE))).isTrue();

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> collections = http.send(HttpRequest.newBuilder(URI.create(url + "vigie/collections/"))
                    .header("Accept", TAXII_ACCEPT)
                    .header("Authorization", basic(user, password))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(collections.statusCode()).isEqualTo(200);
            assertThat(collections.body()).contains(collectionId).contains(NodeConfig.DEFAULT_COLLECTION_TITLE_VALUE);

            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(url + "vigie/collections/"))
                    .header("Accept", TAXII_ACCEPT)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            HttpResponse<String> wrongPassword = http.send(HttpRequest.newBuilder(URI.create(url + "vigie/collections/"))
                    .header("Accept", TAXII_ACCEPT)
                    .header("Authorization", basic(user, password + "x"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrongPassword.statusCode()).isEqualTo(401);

            assertThat(node.terminate(Duration.ofSeconds(30))).isNotEqualTo(-1);
            // The secret is printed once on standard output and never written to the log.
            assertThat(node.errors()).doesNotContain(password);
        }

        try (ChildProcess node = ChildProcess.start(directory.resolve("second.err"), "serve", "--data-dir", dataDirectory.toString(), "--port", "0")) {
            node.awaitLine(line -> line.startsWith("Press Ctrl+C"), START_TIMEOUT);
            List<String> lines = node.seen();
            assertThat(lines).noneMatch(line -> line.startsWith(ServeCommand.PASSWORD_LINE) || line.contains(password));
            assertThat(value(lines, ServeCommand.COLLECTION_LINE)).startsWith(collectionId);
            // The first password still works: nothing was re-created.
            String secondUrl = value(lines, ServeCommand.URL_LINE);
            HttpResponse<String> collections = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(secondUrl + "vigie/collections/"))
                    .header("Accept", TAXII_ACCEPT)
                    .header("Authorization", basic(user, password))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(collections.statusCode()).isEqualTo(200);
            assertThat(collections.body()).contains(collectionId);
            node.terminate(Duration.ofSeconds(30));
            assertThat(node.errors()).doesNotContain(password);
        }
    }

    @Test
    void defaultDataDirectoryIsDataInTheWorkingDirectory(@TempDir Path directory)
            throws Exception
    {
        try (ChildProcess node = ChildProcess.startIn(directory, directory.resolve("serve.err"), "serve", "--port", "0")) {
            node.awaitLine(line -> line.startsWith("Press Ctrl+C"), START_TIMEOUT);
            assertThat(node.seen()).anyMatch(line -> line.startsWith(ServeCommand.PASSWORD_LINE));
            assertThat(Files.isRegularFile(directory.resolve(NodeConfig.DEFAULT_DATA_DIRECTORY).resolve(NodeConfig.DATABASE_FILE))).isTrue();
            assertThat(value(node.seen(), ServeCommand.URL_LINE)).startsWith("http://127.0.0.1:");
            node.terminate(Duration.ofSeconds(30));
        }
    }

    private static String value(List<String> lines, String prefix)
    {
        return lines.stream()
                .filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length()).strip())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in " + lines));
    }

    private static String basic(String user, String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
