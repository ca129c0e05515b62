package org.vigie.node.transfer;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.store.VersionFilter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Writes one collection as a STIX 2.1 bundle, streaming page by page in date-added order (so memory does
 * not grow with the collection). Each object's JSON is written exactly as stored.
 */
public final class BundleExporter
{
    private static final int PAGE_SIZE = 1_000;

    private BundleExporter() {}

    /** Writes the bundle and returns the number of objects written. */
    public static long export(ObjectStore store, String collectionId, boolean allVersions, OutputStream out)
    {
        requireNonNull(store, "store is null");
        requireNonNull(collectionId, "collectionId is null");
        requireNonNull(out, "out is null");
        if (store.findCollection(collectionId).isEmpty()) {
            throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "collection " + collectionId + " does not exist in this store");
        }
        ObjectQuery query = ObjectQuery.all(PAGE_SIZE).withVersions(allVersions ? VersionFilter.ALL : VersionFilter.LAST);
        long count = 0;
        try {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            writer.write("{\"type\":\"bundle\",\"id\":\"bundle--" + UUID.randomUUID() + "\",\"objects\":[");
            while (true) {
                ObjectPage page = store.findObjects(collectionId, query);
                for (StoredObject stored : page.objects()) {
                    writer.write(count == 0 ? "\n" : ",\n");
                    writer.write(stored.object().json());
                    count++;
                }
                if (!page.more()) {
                    break;
                }
                query = query.withNext(page.next().orElseThrow());
            }
            writer.write("\n]}\n");
            writer.flush();
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot write the bundle of collection " + collectionId + ": " + e.getMessage(), e);
        }
        return count;
    }
}
