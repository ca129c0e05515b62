package org.vigie.screening;

/** How the list qualifies an alias: UN individuals say Good/Low, UN entities and OFAC say a.k.a./f.k.a./n.k.a. */
public enum AliasQuality
{
    GOOD,
    LOW,
    ALSO_KNOWN_AS,
    FORMERLY_KNOWN_AS,
    NOW_KNOWN_AS,
    UNSPECIFIED
}
