package org.vigie.taxii.server;

import io.javalin.http.Context;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.Timestamps;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Pages of a partner's read: store pages filtered by the {@link PartnerView} until {@code limit}
 * objects are served. The cursor points just after the last stored version examined, so a next page
 * neither skips nor repeats anything (dates added only grow). A request examines a bounded number of
 * stored versions: when few of them are visible it answers a short page with {@code more} and a cursor.
 */
final class PartnerPages
{
    /** See {@link PartnerView#WITHHELD_REFERENCES_HEADER}. */
    static final String WITHHELD_REFERENCES_HEADER = PartnerView.WITHHELD_REFERENCES_HEADER;

    private static final String CURSOR_PREFIX = "vigie-partner-cursor-1:";
    // Stored versions examined per request, as a multiple of the limit (at least MINIMUM_SCAN).
    private static final int SCAN_FACTOR = 10;
    private static final int MINIMUM_SCAN = 1_000;

    private PartnerPages() {}

    record Page(List<ServedObject> objects, boolean more, Optional<String> next)
    {
        Page
        {
            objects = List.copyOf(requireNonNull(objects, "objects is null"));
            requireNonNull(next, "next is null");
        }
    }

    static Page read(ObjectStore store, PartnerView view, String collectionId, ObjectQuery query)
    {
        ObjectQuery storeQuery = storeQuery(query);
        int budget = Math.max(query.limit() * SCAN_FACTOR, MINIMUM_SCAN);
        List<ServedObject> served = new ArrayList<>();
        int examined = 0;
        while (true) {
            ObjectPage page = store.findObjects(collectionId, storeQuery);
            List<StoredObject> objects = page.objects();
            List<Optional<ServedObject>> decisions = view.filter(collectionId, objects);
            for (int index = 0; index < objects.size(); index++) {
                examined++;
                decisions.get(index).ifPresent(served::add);
                if (served.size() == query.limit() || examined >= budget) {
                    boolean last = index == objects.size() - 1 && !page.more();
                    return last ? new Page(served, false, Optional.empty()) : new Page(served, true, Optional.of(cursor(objects.get(index).dateAdded())));
                }
            }
            if (!page.more()) {
                return new Page(served, false, Optional.empty());
            }
            storeQuery = storeQuery.withNext(page.next().orElseThrow());
        }
    }

    static void headers(Context context, Page page)
    {
        if (!page.objects().isEmpty()) {
            context.header("X-TAXII-Date-Added-First", Timestamps.formatMicros(page.objects().get(0).stored().dateAdded()));
            context.header("X-TAXII-Date-Added-Last", Timestamps.formatMicros(page.objects().get(page.objects().size() - 1).stored().dateAdded()));
        }
        StringBuilder withheld = new StringBuilder();
        for (ServedObject object : page.objects()) {
            for (String path : object.cutReferences()) {
                if (!withheld.isEmpty()) {
                    withheld.append(", ");
                }
                withheld.append(object.id()).append(' ').append(path);
            }
        }
        if (!withheld.isEmpty()) {
            context.header(WITHHELD_REFERENCES_HEADER, withheld.toString());
        }
    }

    /** The partner's cursor becomes an exclusive lower bound on date added; the store's own cursors are not accepted here. */
    private static ObjectQuery storeQuery(ObjectQuery query)
    {
        if (query.next().isEmpty()) {
            return query;
        }
        Instant after = decodeCursor(query.next().get());
        if (query.addedAfter().isPresent() && query.addedAfter().get().isAfter(after)) {
            after = query.addedAfter().get();
        }
        return new ObjectQuery(Optional.of(after), query.limit(), Optional.empty(), query.ids(), query.types(), query.versions(), query.specVersions());
    }

    static String cursor(Instant dateAdded)
    {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, dateAdded);
        return Base64.getUrlEncoder().withoutPadding().encodeToString((CURSOR_PREFIX + micros).getBytes(StandardCharsets.UTF_8));
    }

    private static Instant decodeCursor(String cursor)
    {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(CURSOR_PREFIX)) {
                return Instant.EPOCH.plus(Long.parseLong(text.substring(CURSOR_PREFIX.length())), ChronoUnit.MICROS);
            }
        }
        catch (IllegalArgumentException e) {
            // a NumberFormatException is one too: answered by the error below
        }
        throw new VigieException(ErrorCode.INVALID_ARGUMENT, "next: '" + cursor + "' is not a paging cursor issued to this partner");
    }
}
