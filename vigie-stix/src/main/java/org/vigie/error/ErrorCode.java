package org.vigie.error;

import static java.util.Objects.requireNonNull;

/**
 * Every error the node reports. The {@link #code()} is stable: clients and operators may match on it,
 * so never rename or reuse one. Append new codes in the section of the module that raises them.
 */
public enum ErrorCode
{
    // --- general ----------------------------------------------------------------------------
    INVALID_ARGUMENT("VG-0001", ErrorKind.USER_ERROR),
    INVALID_CONFIGURATION("VG-0002", ErrorKind.USER_ERROR),
    INVALID_JSON("VG-0003", ErrorKind.USER_ERROR),
    INTERNAL_ERROR("VG-0004", ErrorKind.INTERNAL),
    IO_ERROR("VG-0005", ErrorKind.INTERNAL),

    // --- vigie-stix ---------------------------------------------------------------------------
    INVALID_STIX("VG-0101", ErrorKind.USER_ERROR),
    INVALID_IDENTIFIER("VG-0102", ErrorKind.USER_ERROR),
    INVALID_TIMESTAMP("VG-0103", ErrorKind.USER_ERROR),

    // --- vigie-pattern ------------------------------------------------------------------------
    INVALID_PATTERN("VG-0201", ErrorKind.USER_ERROR),
    PATTERN_NOT_SUPPORTED("VG-0202", ErrorKind.USER_ERROR),

    // --- vigie-store --------------------------------------------------------------------------
    COLLECTION_NOT_FOUND("VG-0301", ErrorKind.NOT_FOUND),
    COLLECTION_EXISTS("VG-0302", ErrorKind.CONFLICT),
    OBJECT_NOT_FOUND("VG-0303", ErrorKind.NOT_FOUND),
    STATUS_NOT_FOUND("VG-0304", ErrorKind.NOT_FOUND),
    USER_NOT_FOUND("VG-0305", ErrorKind.NOT_FOUND),
    USER_EXISTS("VG-0306", ErrorKind.CONFLICT),
    STORE_UNAVAILABLE("VG-0307", ErrorKind.INTERNAL),
    STORE_MIGRATION_FAILED("VG-0308", ErrorKind.INTERNAL),
    EVENT_CURSOR_INVALID("VG-0309", ErrorKind.USER_ERROR),
    EVENT_LOG_UNAVAILABLE("VG-0310", ErrorKind.INTERNAL),

    // --- vigie-taxii --------------------------------------------------------------------------
    AUTHENTICATION_REQUIRED("VG-0401", ErrorKind.UNAUTHENTICATED),
    ACCESS_DENIED("VG-0402", ErrorKind.FORBIDDEN),
    NOT_ACCEPTABLE("VG-0403", ErrorKind.USER_ERROR),
    UNSUPPORTED_MEDIA_TYPE("VG-0404", ErrorKind.USER_ERROR),
    CONTENT_TOO_LARGE("VG-0405", ErrorKind.TOO_LARGE),
    API_ROOT_NOT_FOUND("VG-0406", ErrorKind.NOT_FOUND),
    RESOURCE_NOT_FOUND("VG-0407", ErrorKind.NOT_FOUND),
    TAXII_CLIENT_FAILURE("VG-0408", ErrorKind.INTERNAL),

    // --- vigie-screening ----------------------------------------------------------------------
    INVALID_SANCTIONS_LIST("VG-0501", ErrorKind.USER_ERROR),
    INVALID_SCREENING_QUERY("VG-0502", ErrorKind.USER_ERROR),

    // --- vigie-exchange -----------------------------------------------------------------------
    PARTNER_NOT_FOUND("VG-0601", ErrorKind.NOT_FOUND),
    INVALID_ENVELOPE("VG-0602", ErrorKind.USER_ERROR),
    RELEASE_DENIED("VG-0603", ErrorKind.FORBIDDEN),
    AUDIT_LEDGER_BROKEN("VG-0604", ErrorKind.INTERNAL),
    PARTNER_EXISTS("VG-0605", ErrorKind.CONFLICT),

    // --- vigie-node ---------------------------------------------------------------------------
    DATA_DIRECTORY_INVALID("VG-0701", ErrorKind.USER_ERROR),
    NODE_START_FAILED("VG-0702", ErrorKind.INTERNAL);

    private final String code;
    private final ErrorKind kind;

    ErrorCode(String code, ErrorKind kind)
    {
        this.code = requireNonNull(code, "code is null");
        this.kind = requireNonNull(kind, "kind is null");
    }

    public String code()
    {
        return code;
    }

    public ErrorKind kind()
    {
        return kind;
    }
}
