package org.vigie.node.transfer;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.Timestamps;
import org.vigie.stix.json.StixJson;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.store.VersionFilter;
import org.vigie.taxii.server.PartnerView;
import org.vigie.taxii.server.ServedObject;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Writes one collection as a STIX 2.1 bundle, streaming page by page in date-added order (so memory does
 * not grow with the collection). Without a partner it is the administrator's full dump: each object's JSON
 * exactly as stored. For a partner, only what the release policy lets that partner see is written (the
 * same {@link PartnerView} as its TAXII reads), with references to withheld objects cut, and each page
 * written is appended to the audit ledger as a release.
 */
public final class BundleExporter
{
    private static final int PAGE_SIZE = 1_000;

    private BundleExporter() {}

    /** Writes the bundle and returns the number of objects written. */
    public static long export(ObjectStore store, String collectionId, boolean allVersions, OutputStream out)
    {
        return export(store, collectionId, allVersions, Optional.empty(), InstantSource.system(), out).written();
    }

    /**
     * What a partner export wrote.
     *
     * @param withheldReferences {@code <object id> <property path>} of each reference cut, in the order written
     */
    public record Result(long written, long withheld, List<String> withheldReferences)
    {
        public Result
        {
            withheldReferences = List.copyOf(requireNonNull(withheldReferences, "withheldReferences is null"));
        }
    }

    /**
     * As above; with a partner view, only what the partner may see, audited. When references were cut,
     * the bundle ends with a STIX note about the objects they were cut from, naming each object and
     * property (never the withheld targets), so the partner learns it from the bundle itself.
     */
    public static Result export(ObjectStore store, String collectionId, boolean allVersions, Optional<PartnerView> partner, InstantSource clock, OutputStream out)
    {
        requireNonNull(partner, "partner is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(store, "store is null");
        requireNonNull(collectionId, "collectionId is null");
        requireNonNull(out, "out is null");
        if (store.findCollection(collectionId).isEmpty()) {
            throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "collection " + collectionId + " does not exist in this store");
        }
        ObjectQuery query = ObjectQuery.all(PAGE_SIZE).withVersions(allVersions ? VersionFilter.ALL : VersionFilter.LAST);
        long count = 0;
        long withheld = 0;
        List<String> withheldReferences = new ArrayList<>();
        try {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            writer.write("{\"type\":\"bundle\",\"id\":\"bundle--" + UUID.randomUUID() + "\",\"objects\":[");
            while (true) {
                ObjectPage page = store.findObjects(collectionId, query);
                if (partner.isEmpty()) {
                    for (StoredObject stored : page.objects()) {
                        writer.write(count == 0 ? "\n" : ",\n");
                        writer.write(stored.object().json());
                        count++;
                    }
                }
                else {
                    List<ServedObject> served = new ArrayList<>();
                    for (Optional<ServedObject> decision : partner.get().filter(collectionId, page.objects())) {
                        if (decision.isEmpty()) {
                            withheld++;
                            continue;
                        }
                        served.add(decision.get());
                        writer.write(count == 0 ? "\n" : ",\n");
                        writer.write(decision.get().json());
                        decision.get().cutReferences().forEach(path -> withheldReferences.add(decision.get().id() + " " + path));
                        count++;
                    }
                    // Flushed before the ledger records it, so nothing is recorded as released that was not written.
                    writer.flush();
                    partner.get().record(PartnerView.Egress.EXPORT, "export of collection " + collectionId, collectionId, served);
                }
                if (!page.more()) {
                    break;
                }
                query = query.withNext(page.next().orElseThrow());
            }
            if (!withheldReferences.isEmpty()) {
                writer.write(count == 0 ? "\n" : ",\n");
                writer.write(withheldReferencesNote(withheldReferences, clock.instant()));
            }
            writer.write("\n]}\n");
            writer.flush();
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot write the bundle of collection " + collectionId + ": " + e.getMessage(), e);
        }
        return new Result(count, withheld, withheldReferences);
    }

    private static String withheldReferencesNote(List<String> withheldReferences, Instant now)
    {
        ObjectNode note = JsonNodeFactory.instance.objectNode();
        note.put("type", "note");
        note.put("spec_version", "2.1");
        note.put("id", "note--" + UUID.randomUUID());
        String timestamp = Timestamps.format(now);
        note.put("created", timestamp);
        note.put("modified", timestamp);
        note.put("abstract", "References withheld by the sender's release policy");
        note.put("content", "These references were removed because their targets are not released to you (object id, property):\n"
                + String.join("\n", withheldReferences));
        ArrayNode objects = note.putArray("object_refs");
        withheldReferences.stream().map(reference -> reference.substring(0, reference.indexOf(' '))).distinct().forEach(objects::add);
        return StixJson.compact(note);
    }
}
