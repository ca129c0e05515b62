package org.vigie.screening;

/** Why two name tokens were paired. */
public enum MatchRule
{
    /** Same canonical token. */
    EXACT,
    /** Both spellings belong to one Wikidata spelling class (hussein/houcine). */
    SPELLING_CLUSTER,
    /** Same phonetic skeleton (mohammed/muhammad → mhmd). */
    PHONETIC,
    /** Close in Jaro-Winkler similarity (typing or transcription slip). */
    EDIT_DISTANCE,
    /** One token written as two on the other side (Wijijoko / Wiji Joko). */
    COMPOUND,
    /** A single letter standing for a name that starts with it. */
    INITIAL,
    /** Particles (al, bin, abu, abd) that match each other; they weigh little. */
    PARTICLE
}
