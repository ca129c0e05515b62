package org.vigie.screening;

import static java.util.Objects.requireNonNull;

/** One adjustment of the score: the rule, what it compared, and the factor applied. */
public record Qualifier(QualifierRule rule, String detail, double factor)
{
    public Qualifier
    {
        requireNonNull(rule, "rule is null");
        requireNonNull(detail, "detail is null");
    }
}
