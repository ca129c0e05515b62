package org.vigie.error;

import static java.util.Objects.requireNonNull;

/**
 * The one exception type of Vigie. Its message says what failed, where and why, in words an
 * operator can act on; the {@link ErrorCode} says which class of failure it is.
 */
public class VigieException
        extends RuntimeException
{
    private final ErrorCode errorCode;

    public VigieException(ErrorCode errorCode, String message)
    {
        super(requireNonNull(message, "message is null"));
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public VigieException(ErrorCode errorCode, String message, Throwable cause)
    {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public ErrorCode errorCode()
    {
        return errorCode;
    }

    public ErrorKind kind()
    {
        return errorCode.kind();
    }
}
