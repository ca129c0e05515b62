package org.vigie.exchange.policy;

/** Why an object was released to a partner or withheld from it. */
public enum DecisionReason
{
    /** An allow rule matched and nothing forbade the release. */
    ALLOWED_BY_RULE(true),
    /** A deny rule matched; deny rules override allow rules. */
    DENIED_BY_RULE(false),
    /** No allow rule matched: the policy denies by default. */
    NO_RULE_ALLOWS(false),
    /** The object's marking properties or definitions are malformed. */
    INVALID_MARKINGS(false),
    /** The object references a marking-definition this node does not know; it could be anything. */
    UNRESOLVED_MARKING(false),
    /** A marking's expiry has passed. */
    EXPIRED(false),
    /** TLP:RED without named recipients goes to nobody. */
    RED_WITHOUT_NAMED_RECIPIENTS(false),
    /** The markings name recipients and this partner's identity is not among them. */
    NOT_A_NAMED_RECIPIENT(false),
    /** Received under TLP:AMBER, AMBER+STRICT or RED, or H2 or H3, and this partner is not the one it came from. */
    RECEIVED_NOT_FOR_THIRD_PARTY(false),
    /** A property the object cannot exist without refers to an object that is withheld. */
    REQUIRED_REFERENCE_WITHHELD(false);

    private final boolean released;

    DecisionReason(boolean released)
    {
        this.released = released;
    }

    public boolean released()
    {
        return released;
    }
}
