package org.vigie.exchange.partner;

public enum TrustGroupKind
{
    /** This node and exactly one partner. */
    BILATERAL,
    /** A forum: this node and any number of partners. */
    MULTILATERAL
}
