package org.vigie.kafka;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a collection holds now, for the indicator sources: every indicator's latest version, or one object's. */
final class StoreIndicators
{
    private static final int PAGE_SIZE = 500;

    private StoreIndicators() {}

    /** Every indicator (latest version) of a collection now; fails when the collection does not exist. */
    static List<JsonNode> all(ObjectStore store, String collectionId)
    {
        if (store.findCollection(collectionId).isEmpty()) {
            throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "indicator source: collection " + collectionId + " does not exist");
        }
        List<JsonNode> indicators = new ArrayList<>();
        ObjectQuery query = ObjectQuery.all(PAGE_SIZE).withTypes(List.of("indicator"));
        while (true) {
            ObjectPage page = store.findObjects(collectionId, query);
            for (StoredObject stored : page.objects()) {
                indicators.add(stored.object().tree());
            }
            if (!page.more()) {
                return indicators;
            }
            query = query.withNext(page.next().orElseThrow());
        }
    }

    /** The latest version of one object in a collection, when it has any left. */
    static Optional<JsonNode> latest(ObjectStore store, String collectionId, String objectId)
    {
        List<StoredObject> objects = store.findObjects(collectionId, ObjectQuery.all(1).withIds(List.of(objectId))).objects();
        return objects.isEmpty() ? Optional.empty() : Optional.of(objects.get(0).object().tree());
    }
}
