package org.vigie.node.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.server.NodeStores;
import org.vigie.node.server.VigieNode;
import org.vigie.screening.Rescreening;
import org.vigie.screening.SanctionsList;
import org.vigie.screening.SanctionsLists;
import org.vigie.screening.ScreenedRecord;
import org.vigie.screening.ScreenedRecords;
import org.vigie.screening.ScreeningQuery;
import org.vigie.taxii.auth.PasswordHasher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vigie lists update} from files and URLs, its change report, and re-screening of remembered records. */
class ListsUpdateCliTest
{
    private static final String NEW_NAME = "Zebulon Quartermaine Oyelaran";
    private static final String NEW_DESIGNATION = """
                <INDIVIDUAL>
                  <DATAID>9999001</DATAID>
                  <VERSIONNUM>1</VERSIONNUM>
                  <FIRST_NAME>ZEBULON</FIRST_NAME>
                  <SECOND_NAME>QUARTERMAINE</SECOND_NAME>
                  <THIRD_NAME>OYELARAN</THIRD_NAME>
                  <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
                  <REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER>
                  <LISTED_ON>2026-03-01</LISTED_ON>
                  <LIST_TYPE>
                    <VALUE>UN List</VALUE>
                  </LIST_TYPE>
                </INDIVIDUAL>
            """;

    @TempDir
    Path directory;

    private HttpServer server;
    private final Map<String, byte[]> served = new TreeMap<>();

    @BeforeEach
    void startServer()
            throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().getPath());
            try (exchange) {
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer()
    {
        server.stop(0);
    }

    private String url(String path)
    {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The shipped UN list with CDi.001 replaced by a new designation QDi.999 and CDi.002's listing date changed. */
    private static String updatedUnList()
            throws IOException
    {
        String shipped;
        try (InputStream in = SanctionsLists.class.getResourceAsStream("/org/vigie/screening/lists/un_consolidated_" + SanctionsLists.SHIPPED_UN_SNAPSHOT + ".xml")) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int start = shipped.indexOf("    <INDIVIDUAL>");
        int end = shipped.indexOf("</INDIVIDUAL>", start) + "</INDIVIDUAL>\n".length();
        assertThat(shipped.substring(start, end)).contains("<REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER>");
        String updated = shipped.substring(0, start) + NEW_DESIGNATION + shipped.substring(end);
        String listing = "<REFERENCE_NUMBER>CDi.002</REFERENCE_NUMBER>\n      <LISTED_ON>2005-11-01</LISTED_ON>";
        assertThat(updated).contains(listing);
        return updated.replace(listing, "<REFERENCE_NUMBER>CDi.002</REFERENCE_NUMBER>\n      <LISTED_ON>2005-11-02</LISTED_ON>");
    }

    @Test
    void runningNodeScreensAgainstTheListInstalledWhileItRuns()
            throws IOException, InterruptedException
    {
        Path dataDirectory = directory.resolve("data");
        NodeConfig config = NodeConfig.load(dataDirectory, Map.of("http.port", "0"));
        try (VigieNode node = VigieNode.start(config, InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000))) {
            String authorization = "Basic " + Base64.getEncoder().encodeToString(
                    (config.administratorName() + ":" + node.initialization().administratorPassword().orElseThrow()).getBytes(StandardCharsets.UTF_8));
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest screen = HttpRequest.newBuilder(node.baseUri().resolve("screening/match"))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + NEW_NAME + "\"}"))
                    .build();
            HttpResponse<String> before = client.send(screen, HttpResponse.BodyHandlers.ofString());
            assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
            assertThat(before.body()).doesNotContain("QDi.999");

            Path update = directory.resolve("un-update.xml");
            Files.writeString(update, updatedUnList());
            CliRunner.Result installed = CliRunner.run("lists", "update", "--data-dir", dataDirectory.toString(), "--from", update.toString());
            assertThat(installed.exitCode()).as(installed.toString()).isZero();
            // The query screened over HTTP was remembered, so the update reports it as a new hit.
            assertThat(installed.out().lines())
                    .anyMatch(line -> line.startsWith("new hit\t") && line.contains("\t" + NEW_NAME + "\t") && line.endsWith("\tUN\tQDi.999\tZEBULON QUARTERMAINE OYELARAN"));

            HttpResponse<String> after = client.send(screen, HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
            assertThat(after.body()).contains("QDi.999");
        }
    }

    @Test
    void updateReportsChangesAndNewHitsOfRecordsScreenedBefore()
            throws IOException
    {
        Path dataDirectory = directory.resolve("data");
        CliRunner.Result before = CliRunner.run("screen", "--data-dir", dataDirectory.toString(), NEW_NAME);
        assertThat(before.exitCode()).as(before.toString()).isZero();
        assertThat(before.out()).isEmpty();
        assertThat(before.err()).contains("0 matches");

        Path people = directory.resolve("people.csv");
        Files.writeString(people, "full_name,nationality\nZebulon Quartermain Oyelaran,NG\nKathryn Barr,\n");
        CliRunner.Result batch = CliRunner.run("screen", "batch", "--data-dir", dataDirectory.toString(), "--input", people.toString(), "--output", directory.resolve("out.csv").toString());
        assertThat(batch.exitCode()).as(batch.toString()).isZero();
        assertThat(batch.err()).contains("screened 2 rows: 0 with a match");

        // Not remembered: a query screened with --no-record is not re-screened.
        CliRunner.Result unrecorded = CliRunner.run("screen", "--data-dir", dataDirectory.toString(), "--no-record", "Zebulon Oyelaran");
        assertThat(unrecorded.exitCode()).as(unrecorded.toString()).isZero();

        ScreenedRecords records = ScreenedRecords.file(SanctionsListFiles.screenedRecordsFile(dataDirectory));
        String nameRecord = Rescreening.recordId(ScreeningQuery.of(NEW_NAME));
        String rowRecord = Rescreening.recordId(ScreeningQuery.of("Zebulon Quartermain Oyelaran").withNationality("NG"));
        assertThat(records.all()).extracting(ScreenedRecord::recordId)
                .containsExactlyInAnyOrder(nameRecord, rowRecord, Rescreening.recordId(ScreeningQuery.of("Kathryn Barr")));
        assertThat(records.all()).allSatisfy(record -> assertThat(record.hitKeys()).isEmpty());

        Path update = directory.resolve("un-update.xml");
        Files.writeString(update, updatedUnList());
        Path hits = directory.resolve("new-hits.csv");
        CliRunner.Result updated = CliRunner.run("lists", "update", "--data-dir", dataDirectory.toString(), "--from", update.toString(), "--output", hits.toString());
        assertThat(updated.exitCode()).as(updated.toString()).isZero();
        assertThat(updated.out()).contains("1 added, 1 changed, 1 removed");
        assertThat(updated.out().lines()).contains("added\tUN:QDi.999\tZEBULON QUARTERMAINE OYELARAN");
        assertThat(updated.out().lines()).anyMatch(line -> line.startsWith("changed\tUN:CDi.002\t"));
        assertThat(updated.out().lines()).anyMatch(line -> line.startsWith("removed\tUN:CDi.001\t"));
        assertThat(updated.out().lines().filter(line -> line.startsWith("new hit\t")))
                .hasSize(2)
                .anyMatch(line -> line.startsWith("new hit\t" + nameRecord + "\t" + NEW_NAME + "\t") && line.endsWith("\tUN\tQDi.999\tZEBULON QUARTERMAINE OYELARAN"))
                .anyMatch(line -> line.startsWith("new hit\t" + rowRecord + "\tZebulon Quartermain Oyelaran\t") && line.endsWith("\tUN\tQDi.999\tZEBULON QUARTERMAINE OYELARAN"));
        assertThat(updated.out()).contains("re-screened 3 records: 2 new hits");
        List<String> csv = Files.readAllLines(hits);
        assertThat(csv.get(0)).isEqualTo("record_id,query_name,match_id,match_name,match_score,match_list");
        assertThat(csv).hasSize(3);
        assertThat(csv.subList(1, 3)).allSatisfy(row -> assertThat(row).contains(",QDi.999,ZEBULON QUARTERMAINE OYELARAN,").endsWith(",UN"));

        // The hits are remembered: installing the same list again raises nothing new.
        CliRunner.Result again = CliRunner.run("lists", "update", "--data-dir", dataDirectory.toString(), "--from", update.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("0 added, 0 changed, 0 removed").contains("re-screened 3 records: 0 new hits");
        assertThat(ScreenedRecords.file(SanctionsListFiles.screenedRecordsFile(dataDirectory)).get(nameRecord).orElseThrow().bestMatch())
                .hasValueSatisfying(best -> assertThat(best.key()).isEqualTo("UN:QDi.999"));
    }

    @Test
    void updateFromUrl()
            throws IOException
    {
        Path dataDirectory = directory.resolve("data");
        String updated = updatedUnList();
        served.put("/lists/un.xml", updated.getBytes(StandardCharsets.UTF_8));
        served.put("/lists/broken.xml", "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>".getBytes(StandardCharsets.UTF_8));
        for (String name : List.of("sdn", "alt", "add")) {
            try (InputStream in = SanctionsLists.class.getResourceAsStream("/org/vigie/screening/lists/ofac_" + name + "_" + SanctionsLists.SHIPPED_OFAC_SNAPSHOT + ".csv")) {
                served.put("/ofac/" + name + ".csv", in.readAllBytes());
            }
        }

        CliRunner.Result installed = CliRunner.run("lists", "update", "--data-dir", dataDirectory.toString(), "--from", url("/lists/un.xml"));
        assertThat(installed.exitCode()).as(installed.toString()).isZero();
        assertThat(installed.out()).contains("installed UN").contains("from " + url("/lists/un.xml")).contains("1 added, 1 changed, 1 removed");
        assertThat(installed.out().lines()).contains("added\tUN:QDi.999\tZEBULON QUARTERMAINE OYELARAN");
        assertThat(Files.readString(dataDirectory.resolve("lists/un.xml"))).isEqualTo(updated);

        CliRunner.Result missing = CliRunner.run("lists", "update", "--data-dir", dataDirectory.toString(), "--from", url("/lists/missing.xml"));
        assertThat(missing.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(missing.err()).contains(url("/lists/missing.xml")).contains("HTTP 404");

        CliRunner.Result broken = CliRunner.run("lists", "update", "--data-dir", dataDirectory.toString(), "--from", url("/lists/broken.xml"));
        assertThat(broken.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(broken.err()).contains(url("/lists/broken.xml"));
        assertThat(Files.readString(dataDirectory.resolve("lists/un.xml"))).isEqualTo(updated);

        // A URL ending with / names a directory holding OFAC's three files.
        CliRunner.Result ofac = CliRunner.run("lists", "update", "--data-dir", dataDirectory.toString(), "--from", url("/ofac/"));
        assertThat(ofac.exitCode()).as(ofac.toString()).isZero();
        SanctionsList shippedOfac = SanctionsLists.loadShippedOfac();
        assertThat(ofac.out()).contains("installed OFAC-SDN").contains(shippedOfac.designations().size() + " designations");
        assertThat(Files.readAllBytes(dataDirectory.resolve("lists/ofac/sdn.csv"))).isEqualTo(served.get("/ofac/sdn.csv"));

        CliRunner.Result refused = CliRunner.run("lists", "update", "--data-dir", dataDirectory.toString(), "--from", "http://127.0.0.1:1/un.xml");
        assertThat(refused.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(refused.err()).contains("http://127.0.0.1:1/un.xml");

        // No download directory is left behind, whatever the outcome.
        try (Stream<Path> entries = Files.list(dataDirectory.resolve("lists"))) {
            assertThat(entries.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("un.xml", "ofac");
        }
    }
}
