package org.vigie.screening;

/** Adjustments applied to the name score, each recorded in the explanation. */
public enum QualifierRule
{
    /** The matched tokens carry too little identity (only common tokens such as "mohammed" or "corp"). */
    LOW_INFORMATION,
    BIRTH_DATE_MATCH,
    BIRTH_DATE_MISMATCH,
    NATIONALITY_MATCH,
    NATIONALITY_MISMATCH,
    TYPE_MISMATCH
}
