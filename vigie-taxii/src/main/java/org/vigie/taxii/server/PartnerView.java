package org.vigie.taxii.server;

import org.vigie.store.StoredObject;

import java.util.List;
import java.util.Optional;

/**
 * What one partner may see, for one request. Objects it may not see are treated by the server as
 * absent (404 for an object or collection, left out of pages), never as forbidden.
 */
public interface PartnerView
{
    /**
     * Response header naming the references removed from served objects: {@code <object id> <property path>},
     * comma-separated (the withheld targets are never named). Every partner read that cuts references sends it.
     */
    String WITHHELD_REFERENCES_HEADER = "X-Vigie-Withheld-References";

    String partnerId();

    /** Whether the policy could release anything of this collection to the partner (else the collection is not shown). */
    boolean mayRead(String collectionId);

    /**
     * For stored versions of one collection, in order: what the partner is served of each, or empty
     * when it is withheld. Served JSON has references to objects the partner may not see removed.
     */
    List<Optional<ServedObject>> filter(String collectionId, List<StoredObject> objects);

    /** Appends the read to the audit ledger: who (the actor given when opened), what was served, and what was cut. */
    void record(Egress egress, String request, String collectionId, List<ServedObject> served);

    /** Appends a read that served collections rather than objects (the collection list, one collection), naming the collections shown. */
    void recordCollections(String request, List<String> collectionIds);

    enum Egress
    {
        /** A read through the TAXII endpoints. */
        TAXII_READ,
        /** {@code vigie export --partner}. */
        EXPORT
    }
}
