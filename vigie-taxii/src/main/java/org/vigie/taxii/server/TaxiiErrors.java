package org.vigie.taxii.server;

import io.javalin.http.Context;
import org.vigie.error.ErrorCode;
import org.vigie.error.ErrorKind;
import org.vigie.error.VigieException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * TAXII error message resources. Routes raise errors by throwing {@link VigieException}; the server
 * turns each into a response with the status of its {@link ErrorKind} and a body of the form
 * {@code {"title", "description", "error_code", "http_status"}} (TAXII 2.1 section 3.6.1).
 */
public final class TaxiiErrors
{
    public static final String REALM = "vigie";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private TaxiiErrors() {}

    /** The HTTP status of an error. */
    public static int httpStatus(ErrorCode code)
    {
        requireNonNull(code, "code is null");
        // Two user errors have their own HTTP statuses; every other code follows its kind.
        if (code == ErrorCode.NOT_ACCEPTABLE) {
            return 406;
        }
        if (code == ErrorCode.UNSUPPORTED_MEDIA_TYPE) {
            return 415;
        }
        return httpStatus(code.kind());
    }

    public static int httpStatus(ErrorKind kind)
    {
        return switch (kind) {
            case USER_ERROR -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case INTERNAL -> 500;
        };
    }

    /** Convenience for contributed routes: the caller lacks a right. */
    public static VigieException forbidden(String message)
    {
        return new VigieException(ErrorCode.ACCESS_DENIED, message);
    }

    /** Convenience for contributed routes: a thing does not exist (or must not be revealed). */
    public static VigieException notFound(String message)
    {
        return new VigieException(ErrorCode.RESOURCE_NOT_FOUND, message);
    }

    /** Convenience for contributed routes: the request is invalid. */
    public static VigieException badRequest(String message)
    {
        return new VigieException(ErrorCode.INVALID_ARGUMENT, message);
    }

    /** Writes the error resource of an exception to a response. */
    public static void write(Context context, VigieException exception)
    {
        write(context, exception.errorCode(), exception.getMessage());
    }

    static void write(Context context, ErrorCode code, String description)
    {
        write(context, httpStatus(code), code, description);
    }

    /** For statuses no error code maps to, such as Javalin's own 405. */
    static void write(Context context, int status, ErrorCode code, String description)
    {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("title", title(status));
        body.put("description", description);
        body.put("error_code", code.code());
        // TAXII 2.1 defines http_status as a string.
        body.put("http_status", String.valueOf(status));
        if (status == 401) {
            context.res().addHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
            context.res().addHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"");
        }
        context.status(status);
        context.contentType(MediaTypes.TAXII_21);
        context.result(MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    }

    static String title(int status)
    {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Authentication required";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable";
            case 409 -> "Conflict";
            case 413 -> "Content too large";
            case 415 -> "Unsupported media type";
            case 422 -> "Unprocessable content";
            default -> status >= 500 ? "Internal server error" : "Error " + status;
        };
    }
}
