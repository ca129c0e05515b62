package org.vigie.console;

import org.vigie.store.ObjectIdHash;

/**
 * The 64-bit hashes the search index finds its rows by (V14__hashed_keys.sql): the store's object id hash
 * ({@link ObjectIdHash}, the first eight bytes of the SHA-256 of the text's UTF-8 bytes). Eight bytes in an
 * index instead of the forty and more of an id keep the index small; every query also compares the texts, so texts
 * that share a hash are told apart. SHA-256 rather than a faster hash because ids come from partners: making many
 * ids share one hash (which slows their look-ups down, never confuses them) costs about 2^32 work per id.
 */
final class SearchKeys
{
    private SearchKeys() {}

    static long hash(String text)
    {
        return ObjectIdHash.of(text);
    }

    /** The hash of an edge's end within a collection (search_edge_ends.end_hash). */
    static long endHash(String collectionId, String endId)
    {
        // Queries compare the entry's collection and edges too: an ambiguous pair could only cost a look-up, never confuse one.
        return hash(collectionId + ' ' + endId);
    }
}
