package org.vigie.exchange.marking;

import java.util.Locale;
import java.util.Optional;

/** Permissible Actions Protocol levels, from least to most restrictive. PAP limits actions, not sharing. */
public enum Pap
{
    CLEAR, GREEN, AMBER, RED;

    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Pap> fromLabel(String text)
    {
        String value = text.trim().toUpperCase(Locale.ROOT);
        if (value.startsWith("PAP:")) {
            value = value.substring(4);
        }
        if (value.equals("WHITE")) {
            return Optional.of(CLEAR);
        }
        for (Pap pap : values()) {
            if (pap.name().equals(value)) {
                return Optional.of(pap);
            }
        }
        return Optional.empty();
    }
}
