package org.vigie.screening;

/** What kind of party a designation (or a screened record) is. */
public enum EntityType
{
    PERSON,
    ORGANIZATION,
    VESSEL,
    AIRCRAFT
}
