package org.vigie.error;

/**
 * The broad class of a failure. The HTTP layer maps each kind to one status code, so a new kind
 * must be added there too (the mapping is an exhaustive switch).
 */
public enum ErrorKind
{
    /** The caller sent something invalid: fix the input and retry. */
    USER_ERROR,
    /** The caller is not authenticated. */
    UNAUTHENTICATED,
    /** The caller is authenticated but not allowed to do this. */
    FORBIDDEN,
    /** The thing asked for does not exist (or the caller may not know that it exists). */
    NOT_FOUND,
    /** The request conflicts with the current state. */
    CONFLICT,
    /** The request is too large to accept. */
    TOO_LARGE,
    /** A fault of the node itself: a bug, or an environment problem such as a full disk. */
    INTERNAL
}
