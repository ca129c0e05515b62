package org.vigie.screening;

/** Which of a designation's names matched. */
public enum NameKind
{
    PRIMARY,
    ALIAS,
    ORIGINAL_SCRIPT
}
