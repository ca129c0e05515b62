package org.vigie.exchange.audit;

public enum AuditKind
{
    /** Objects released to a partner (push or export). */
    RELEASE,
    /** An envelope received, verified and stored. */
    RECEIPT,
    /** An envelope rejected on receipt. */
    REJECTION,
    /** The release policy changed. */
    POLICY_CHANGE,
    /** A partner read objects over TAXII. */
    PARTNER_READ,
    /** A partner or trust group was added, changed or removed. */
    PARTNER_CHANGE,
    /** Released objects were recalled. */
    RECALL
}
