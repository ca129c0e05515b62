package org.vigie.stix.validation;

/** The STIX property types the validator checks (STIX 2.1 section 2). */
enum Kind
{
    STRING,
    INTEGER,
    NUMBER,
    BOOLEAN,
    TIMESTAMP,
    STRING_LIST,
    IDENTIFIER,
    IDENTIFIER_LIST,
    DICTIONARY,
    OBJECT,
    OBJECT_LIST,
    HASHES,
    BINARY,
    HEX,
    KILL_CHAIN_PHASES,
    EXTERNAL_REFERENCES,
    GRANULAR_MARKINGS,
    EXTENSIONS,
    /** Checked elsewhere (id, type) or any JSON value. */
    ANY
}
