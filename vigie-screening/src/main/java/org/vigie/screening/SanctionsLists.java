package org.vigie.screening;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Loads sanctions lists: the snapshots shipped in this module (so screening works offline), or newer
 * files. A load either returns the whole list or fails with INVALID_SANCTIONS_LIST naming the file,
 * line and reason: a malformed file never yields a partial list.
 */
public final class SanctionsLists
{
    /** The generation date of the shipped UN snapshot. */
    public static final String SHIPPED_UN_SNAPSHOT = "2026-02-27";
    /** The publication date of the shipped OFAC SDN snapshot. */
    public static final String SHIPPED_OFAC_SNAPSHOT = "2021-07-07";

    private static final String RESOURCES = "/org/vigie/screening/lists/";

    private SanctionsLists() {}

    /** The shipped UN and OFAC SDN snapshots, UN first. */
    public static List<SanctionsList> loadShipped()
    {
        // Start-up time matters (the node loads the lists when it starts): read OFAC and warm the
        // spelling clusters a screener will need on threads of their own while UN is parsed here.
        // Not the common pool: on two cores it has one worker, which would run the two one after the other.
        Executor ownThread = task -> {
            Thread thread = new Thread(task, "vigie-screening-list-loader");
            thread.setDaemon(true);
            thread.start();
        };
        CompletableFuture<SanctionsList> ofac = CompletableFuture.supplyAsync(SanctionsLists::loadShippedOfac, ownThread);
        CompletableFuture<SpellingClusters> clusters = CompletableFuture.supplyAsync(SpellingClusters::shipped, ownThread);
        SanctionsList un = loadShippedUn();
        try {
            List<SanctionsList> lists = List.of(un, ofac.join());
            clusters.join();
            return lists;
        }
        catch (CompletionException e) {
            if (e.getCause() instanceof VigieException vigie) {
                throw vigie;
            }
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "cannot load the shipped lists: " + e.getCause(), e.getCause());
        }
    }

    public static SanctionsList loadShippedUn()
    {
        String name = "un_consolidated_" + SHIPPED_UN_SNAPSHOT + ".xml";
        try (InputStream in = resource(name)) {
            return loadUn(in, "shipped " + name);
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read shipped UN list " + name + ": " + e.getMessage(), e);
        }
    }

    public static SanctionsList loadShippedOfac()
    {
        String suffix = "_" + SHIPPED_OFAC_SNAPSHOT + ".csv";
        try (InputStream sdn = resource("ofac_sdn" + suffix);
                InputStream alt = resource("ofac_alt" + suffix);
                InputStream add = resource("ofac_add" + suffix)) {
            SanctionsList list = loadOfac(sdn, alt, add, "shipped OFAC snapshot " + SHIPPED_OFAC_SNAPSHOT);
            return new SanctionsList(list.name(), SHIPPED_OFAC_SNAPSHOT, list.source(), list.designations());
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read shipped OFAC files: " + e.getMessage(), e);
        }
    }

    public static SanctionsList loadUn(Path file)
    {
        try (InputStream in = Files.newInputStream(file)) {
            return loadUn(in, file.toString());
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read UN list " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a UN Consolidated List XML; {@code source} names it in error messages. */
    public static SanctionsList loadUn(InputStream in, String source)
    {
        return UnListParser.parse(in, source);
    }

    public static SanctionsList loadOfac(Path sdn, Path alt, Path address)
    {
        try (InputStream sdnIn = Files.newInputStream(sdn);
                InputStream altIn = Files.newInputStream(alt);
                InputStream addressIn = Files.newInputStream(address)) {
            return loadOfac(sdnIn, altIn, addressIn, sdn.toAbsolutePath().getParent().toString());
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read OFAC files " + sdn + ", " + alt + ", " + address + ": " + e.getMessage(), e);
        }
    }

    /** Reads the OFAC SDN CSV files (sdn.csv, alt.csv, add.csv); {@code source} names them in error messages. */
    public static SanctionsList loadOfac(InputStream sdn, InputStream alt, InputStream address, String source)
    {
        return OfacListParser.parse(sdn, alt, address, source);
    }

    /**
     * Loads what {@code vigie lists update --from} names: a UN XML file, or a directory holding
     * OFAC's sdn.csv, alt.csv and add.csv.
     */
    public static SanctionsList load(Path path)
    {
        if (Files.isDirectory(path)) {
            Path sdn = path.resolve("sdn.csv");
            Path alt = path.resolve("alt.csv");
            Path add = path.resolve("add.csv");
            for (Path required : List.of(sdn, alt, add)) {
                if (!Files.isRegularFile(required)) {
                    throw new VigieException(ErrorCode.INVALID_SANCTIONS_LIST, "directory " + path + " holds no " + required.getFileName() + ": an OFAC list needs sdn.csv, alt.csv and add.csv");
                }
            }
            return loadOfac(sdn, alt, add);
        }
        if (path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".xml")) {
            return loadUn(path);
        }
        throw new VigieException(ErrorCode.INVALID_SANCTIONS_LIST, "cannot tell which list " + path + " is: give a UN .xml file or a directory with OFAC's sdn.csv, alt.csv and add.csv");
    }

    /** What was added, changed and removed from {@code before} to {@code after}, matched by list and reference. */
    public static ListDiff diff(List<SanctionsList> before, List<SanctionsList> after)
    {
        Map<String, Designation> old = byKey(before);
        Map<String, Designation> current = byKey(after);
        List<Designation> added = new ArrayList<>();
        List<ListDiff.Change> changed = new ArrayList<>();
        List<Designation> removed = new ArrayList<>();
        current.forEach((key, designation) -> {
            Designation previous = old.get(key);
            if (previous == null) {
                added.add(designation);
            }
            else if (!previous.equals(designation)) {
                changed.add(new ListDiff.Change(previous, designation));
            }
        });
        old.forEach((key, designation) -> {
            if (!current.containsKey(key)) {
                removed.add(designation);
            }
        });
        return new ListDiff(added, changed, removed);
    }

    private static Map<String, Designation> byKey(List<SanctionsList> lists)
    {
        // Sorted so that the diff is reported in a stable order.
        Map<String, Designation> result = new TreeMap<>(Comparator.naturalOrder());
        for (SanctionsList list : lists) {
            for (Designation designation : list.designations()) {
                result.put(designation.key(), designation);
            }
        }
        return result;
    }

    private static InputStream resource(String name)
    {
        InputStream in = SanctionsLists.class.getResourceAsStream(RESOURCES + name);
        if (in == null) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "shipped list resource " + RESOURCES + name + " is missing from the vigie-screening jar");
        }
        return in;
    }
}
