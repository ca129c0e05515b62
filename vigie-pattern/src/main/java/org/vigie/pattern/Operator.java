package org.vigie.pattern;

import static java.util.Objects.requireNonNull;

/** The comparison operators of STIX patterning. */
public enum Operator
{
    EQUAL("="),
    NOT_EQUAL("!="),
    LESS("<"),
    LESS_OR_EQUAL("<="),
    GREATER(">"),
    GREATER_OR_EQUAL(">="),
    IN("IN"),
    LIKE("LIKE"),
    MATCHES("MATCHES"),
    IS_SUBSET("ISSUBSET"),
    IS_SUPERSET("ISSUPERSET");

    private final String symbol;

    Operator(String symbol)
    {
        this.symbol = requireNonNull(symbol, "symbol is null");
    }

    public String symbol()
    {
        return symbol;
    }
}
