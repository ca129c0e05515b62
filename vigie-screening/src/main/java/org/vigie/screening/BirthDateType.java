package org.vigie.screening;

/** How precise a listed birth date is (the UN list's TYPE_OF_DATE). */
public enum BirthDateType
{
    EXACT,
    APPROXIMATELY,
    BETWEEN
}
