package org.vigie.kafka;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Indicators of a collection read by date added: the cursor is the greatest date added seen. A version added
 * later with the very same date added as the cursor would be missed; the stores' dates added grow with each
 * commit (microseconds), which makes that a clock running backwards.
 */
final class StoreIndicatorSource
        implements IndicatorSource
{
    private static final int PAGE_SIZE = 500;

    private final ObjectStore store;
    private final String collectionId;
    private Optional<Instant> cursor = Optional.empty();

    StoreIndicatorSource(ObjectStore store, String collectionId)
    {
        this.store = requireNonNull(store, "store is null");
        this.collectionId = requireNonNull(collectionId, "collectionId is null");
    }

    @Override
    public List<JsonNode> initial()
    {
        if (store.findCollection(collectionId).isEmpty()) {
            throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "indicator source: collection " + collectionId + " does not exist");
        }
        return read();
    }

    @Override
    public List<IndicatorUpdate> updates()
    {
        return read().stream().map(IndicatorUpdate::upsert).toList();
    }

    private List<JsonNode> read()
    {
        List<JsonNode> indicators = new ArrayList<>();
        ObjectQuery query = ObjectQuery.all(PAGE_SIZE).withTypes(List.of("indicator"));
        if (cursor.isPresent()) {
            query = query.withAddedAfter(cursor.get());
        }
        while (true) {
            ObjectPage page = store.findObjects(collectionId, query);
            for (StoredObject stored : page.objects()) {
                indicators.add(stored.object().tree());
            }
            page.lastDateAdded().ifPresent(last -> cursor = Optional.of(cursor.filter(current -> current.isAfter(last)).orElse(last)));
            if (!page.more()) {
                return indicators;
            }
            query = query.withNext(page.next().orElseThrow());
        }
    }

    /** Every indicator (latest version) of a collection now. */
    static List<JsonNode> all(ObjectStore store, String collectionId)
    {
        return new StoreIndicatorSource(store, collectionId).initial();
    }

    /** The latest version of one object in a collection, when it has any left. */
    static Optional<JsonNode> latest(ObjectStore store, String collectionId, String objectId)
    {
        List<StoredObject> objects = store.findObjects(collectionId, ObjectQuery.all(1).withIds(List.of(objectId))).objects();
        return objects.isEmpty() ? Optional.empty() : Optional.of(objects.get(0).object().tree());
    }

    @Override
    public void close() {}
}
