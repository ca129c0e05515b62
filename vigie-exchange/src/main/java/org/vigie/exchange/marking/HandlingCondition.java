package org.vigie.exchange.marking;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** One handling code with the provider's condition text, if any (H3 normally has one). */
public record HandlingCondition(HandlingCode code, Optional<String> condition)
        implements Comparable<HandlingCondition>
{
    public HandlingCondition
    {
        requireNonNull(code, "code is null");
        requireNonNull(condition, "condition is null");
    }

    public static HandlingCondition of(HandlingCode code)
    {
        return new HandlingCondition(code, Optional.empty());
    }

    @Override
    public int compareTo(HandlingCondition other)
    {
        int byCode = code.compareTo(other.code);
        return byCode != 0 ? byCode : condition.orElse("").compareTo(other.condition.orElse(""));
    }
}
