package org.vigie.node.cli;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.screening.SanctionsList;
import org.vigie.screening.SanctionsLists;
import org.vigie.screening.ScreenedRecords;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * Where a node keeps updated sanctions lists: {@code <data-dir>/lists/un.xml} and
 * {@code <data-dir>/lists/ofac/{sdn,alt,add}.csv}. A list not updated there is the snapshot shipped in
 * the program.
 */
public final class SanctionsListFiles
{
    private static final List<String> OFAC_FILES = List.of("sdn.csv", "alt.csv", "add.csv");
    private static final Duration DOWNLOAD_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);

    private SanctionsListFiles() {}

    public static Path directory(Path dataDirectory)
    {
        return dataDirectory.resolve("lists");
    }

    /** The lists in effect, UN first: updated copies where present, shipped snapshots otherwise. */
    public static List<SanctionsList> effective(Path dataDirectory)
    {
        Path lists = directory(dataDirectory);
        Path un = lists.resolve("un.xml");
        Path ofac = lists.resolve("ofac");
        boolean updatedUn = Files.isRegularFile(un);
        boolean updatedOfac = Files.isDirectory(ofac);
        if (!updatedUn && !updatedOfac) {
            // Reads both snapshots and the spelling data in parallel.
            return SanctionsLists.loadShipped();
        }
        // Start-up time: OFAC is read on another thread while UN is parsed here.
        CompletableFuture<SanctionsList> ofacList = CompletableFuture.supplyAsync(() -> updatedOfac ? SanctionsLists.load(ofac) : SanctionsLists.loadShippedOfac());
        SanctionsList unList = updatedUn ? SanctionsLists.loadUn(un) : SanctionsLists.loadShippedUn();
        try {
            return List.of(unList, ofacList.join());
        }
        catch (CompletionException e) {
            if (e.getCause() instanceof VigieException vigie) {
                throw vigie;
            }
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "cannot load the OFAC list: " + e.getCause(), e.getCause());
        }
    }

    /** Where {@code vigie screen} and {@code vigie screen batch} remember what they screened, for re-screening. */
    static Path screenedRecordsFile(Path dataDirectory)
    {
        return dataDirectory.resolve("screening").resolve("screened-records.jsonl");
    }

    public static ScreenedRecords screenedRecords(Path dataDirectory)
    {
        return ScreenedRecords.file(screenedRecordsFile(dataDirectory));
    }

    /**
     * Installs the list that {@code from} names: an http(s) URL, downloaded first (see
     * {@link #download}), or a local path (see {@link #install(Path, Path)}).
     */
    static SanctionsList install(Path dataDirectory, String from, PrintStream warnings)
    {
        String lower = from.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            URI uri;
            try {
                uri = new URI(from);
            }
            catch (URISyntaxException e) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "list URL " + from + " is not a valid URL: " + e.getMessage(), e);
            }
            return download(dataDirectory, uri, warnings);
        }
        return install(dataDirectory, Path.of(from));
    }

    /**
     * Reads the list at {@code source} (rejecting it when malformed, before anything is replaced), then
     * installs a copy in the data directory. Returns the list read.
     */
    static SanctionsList install(Path dataDirectory, Path source)
    {
        SanctionsList list = SanctionsLists.load(source);
        place(dataDirectory, source, Files.isDirectory(source), source.toString());
        return list;
    }

    /**
     * Downloads a list into a temporary directory inside the data directory, parses it (a malformed
     * download, or a failed one, replaces nothing), then installs it. A URL whose path ends with
     * {@code /} names an OFAC directory: its sdn.csv, alt.csv and add.csv are fetched; any other URL
     * is a UN consolidated list XML file. Errors name the URL and, for a refused request, the HTTP status.
     */
    static SanctionsList download(Path dataDirectory, URI uri, PrintStream warnings)
    {
        Path lists = directory(dataDirectory);
        Path temporary;
        try {
            Files.createDirectories(lists);
            temporary = Files.createTempDirectory(lists, "download-");
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot create a download directory in " + lists + ": " + e.getMessage(), e);
        }
        try {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(DOWNLOAD_CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            boolean ofac = uri.getPath() != null && uri.getPath().endsWith("/");
            SanctionsList list;
            if (ofac) {
                for (String name : OFAC_FILES) {
                    fetch(client, uri.resolve(name), temporary.resolve(name));
                }
                try (InputStream sdn = Files.newInputStream(temporary.resolve("sdn.csv"));
                        InputStream alt = Files.newInputStream(temporary.resolve("alt.csv"));
                        InputStream add = Files.newInputStream(temporary.resolve("add.csv"))) {
                    list = SanctionsLists.loadOfac(sdn, alt, add, uri.toString());
                }
            }
            else {
                fetch(client, uri, temporary.resolve("un.xml"));
                try (InputStream in = Files.newInputStream(temporary.resolve("un.xml"))) {
                    list = SanctionsLists.loadUn(in, uri.toString());
                }
            }
            place(dataDirectory, ofac ? temporary : temporary.resolve("un.xml"), ofac, uri.toString());
            return list;
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read the list downloaded from " + uri + ": " + e.getMessage(), e);
        }
        finally {
            deleteRecursively(temporary, warnings);
        }
    }

    private static void fetch(HttpClient client, URI uri, Path target)
    {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(DOWNLOAD_TIMEOUT).GET().build();
        HttpResponse<Path> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofFile(target));
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot download list from " + uri + ": " + e, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigieException(ErrorCode.IO_ERROR, "download of list from " + uri + " was interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot download list from " + uri + ": the server answered HTTP " + response.statusCode() + " (expected 200)");
        }
    }

    private static void deleteRecursively(Path directory, PrintStream warnings)
    {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
        catch (IOException e) {
            // The list is installed (or the error reported) already; a leftover download directory is
            // only disk space, so it is reported rather than failing the update.
            warnings.println("warning: cannot delete download directory " + directory + ": " + e.getMessage());
        }
    }

    private static void place(Path dataDirectory, Path source, boolean ofac, String origin)
    {
        Path lists = directory(dataDirectory);
        try {
            Files.createDirectories(lists);
            if (ofac) {
                Path target = lists.resolve("ofac");
                Files.createDirectories(target);
                for (String name : OFAC_FILES) {
                    replace(source.resolve(name), target.resolve(name));
                }
            }
            else {
                replace(source, lists.resolve("un.xml"));
            }
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot install list " + origin + " into " + lists + ": " + e.getMessage(), e);
        }
    }

    // Copy beside the target, then rename over it, so that a reader never sees half a file.
    private static void replace(Path source, Path target)
            throws IOException
    {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
