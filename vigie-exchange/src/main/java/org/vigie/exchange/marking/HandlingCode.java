package org.vigie.exchange.marking;

import java.util.Optional;

/** Europol SIENA handling codes. */
public enum HandlingCode
{
    /** Use only for the stated purpose. */
    H0("use only for the purpose for which it was provided"),
    /** Not to be used in judicial proceedings without the provider's consent. */
    H1("not to be used in judicial proceedings without the consent of the provider"),
    /** No onward sharing without the provider's consent. */
    H2("not to be disseminated without the consent of the provider"),
    /** Other restrictions, stated in the condition text. */
    H3("other restrictions, see condition");

    private final String meaning;

    HandlingCode(String meaning)
    {
        this.meaning = meaning;
    }

    public String meaning()
    {
        return meaning;
    }

    public static Optional<HandlingCode> fromName(String name)
    {
        for (HandlingCode code : values()) {
            if (code.name().equalsIgnoreCase(name.trim())) {
                return Optional.of(code);
            }
        }
        return Optional.empty();
    }
}
