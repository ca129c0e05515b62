package org.vigie.node.cli;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.screening.SanctionsList;
import org.vigie.screening.SanctionsLists;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a node keeps updated sanctions lists: {@code <data-dir>/lists/un.xml} and
 * {@code <data-dir>/lists/ofac/{sdn,alt,add}.csv}. A list not updated there is the snapshot shipped in
 * the program.
 */
public final class SanctionsListFiles
{
    private static final List<String> OFAC_FILES = List.of("sdn.csv", "alt.csv", "add.csv");

    private SanctionsListFiles() {}

    static Path directory(Path dataDirectory)
    {
        return dataDirectory.resolve("lists");
    }

    /** The lists in effect, UN first: updated copies where present, shipped snapshots otherwise. */
    public static List<SanctionsList> effective(Path dataDirectory)
    {
        Path lists = directory(dataDirectory);
        Path un = lists.resolve("un.xml");
        Path ofac = lists.resolve("ofac");
        List<SanctionsList> effective = new ArrayList<>();
        effective.add(Files.isRegularFile(un) ? SanctionsLists.loadUn(un) : SanctionsLists.loadShippedUn());
        effective.add(Files.isDirectory(ofac) ? SanctionsLists.load(ofac) : SanctionsLists.loadShippedOfac());
        return List.copyOf(effective);
    }

    /**
     * Reads the list at {@code source} (rejecting it when malformed, before anything is replaced), then
     * installs a copy in the data directory. Returns the list read.
     */
    static SanctionsList install(Path dataDirectory, Path source)
    {
        SanctionsList list = SanctionsLists.load(source);
        Path lists = directory(dataDirectory);
        try {
            Files.createDirectories(lists);
            if (Files.isDirectory(source)) {
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
            throw new VigieException(ErrorCode.IO_ERROR, "cannot install list " + source + " into " + lists + ": " + e.getMessage(), e);
        }
        return list;
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
