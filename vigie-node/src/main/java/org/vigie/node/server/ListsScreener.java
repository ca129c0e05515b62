package org.vigie.node.server;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.node.cli.SanctionsListFiles;
import org.vigie.screening.Screener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The screener of the sanctions lists in effect for a data directory. Built on first use (indexing takes
 * a moment), then rebuilt when {@code vigie lists update} has installed a newer list, so a running node
 * screens against the new designations without a restart.
 */
final class ListsScreener
        implements Supplier<Screener>
{
    private final Path dataDirectory;
    private Screener screener;
    private String installedLists;

    ListsScreener(Path dataDirectory)
    {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
    }

    @Override
    public synchronized Screener get()
    {
        String current = installedLists();
        if (screener == null || !current.equals(installedLists)) {
            // Read before building: a list installed during the build is picked up by the next call.
            screener = Screener.create(SanctionsListFiles.effective(dataDirectory));
            installedLists = current;
        }
        return screener;
    }

    /** Names, sizes and modification times of the installed list files: changes whenever one is replaced. */
    private String installedLists()
    {
        Path lists = SanctionsListFiles.directory(dataDirectory);
        if (!Files.isDirectory(lists)) {
            return "";
        }
        try (Stream<Path> files = Files.walk(lists)) {
            StringBuilder description = new StringBuilder();
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                description.append(lists.relativize(file)).append(' ').append(Files.size(file)).append(' ')
                        .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
            }
            return description.toString();
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read the sanctions lists installed in " + lists + ": " + e.getMessage(), e);
        }
    }
}
