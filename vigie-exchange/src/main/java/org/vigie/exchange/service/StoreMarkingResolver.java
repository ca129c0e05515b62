package org.vigie.exchange.service;

import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Marking-definitions from any collection of the store (cached: a marking-definition never changes),
 * and origins from the received-objects table. The oldest receipt decides the origin, recalled or
 * not, which is the more restrictive reading.
 */
final class StoreMarkingResolver
        implements MarkingResolver
{
    private final ObjectStore store;
    private final ExchangeDatabase database;
    private final Map<String, JsonNode> definitions = new ConcurrentHashMap<>();

    StoreMarkingResolver(ObjectStore store, ExchangeDatabase database)
    {
        this.store = requireNonNull(store, "store is null");
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public Optional<JsonNode> markingDefinition(String markingId)
    {
        JsonNode cached = definitions.get(markingId);
        if (cached != null) {
            return Optional.of(cached);
        }
        for (CollectionInfo collection : store.listCollections()) {
            ObjectPage page = store.findObjects(collection.id(), ObjectQuery.all(1).withIds(List.of(markingId)));
            if (!page.objects().isEmpty()) {
                JsonNode definition = page.objects().get(0).object().tree();
                definitions.put(markingId, definition);
                return Optional.of(definition);
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> originPartner(String objectId)
    {
        List<ReceivedObject> received = database.read("read the origin of " + objectId, connection -> ExchangeTables.received(connection, objectId));
        return received.stream().findFirst().map(ReceivedObject::partnerId);
    }
}
