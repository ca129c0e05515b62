package org.vigie.node.exchange;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.policy.ReleasePolicy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Release policy files given by operators ({@code vigie policy set FILE}); the policy in effect is a {@link StoredPolicy}. */
final class PolicyFile
{
    private PolicyFile() {}

    /** Validates a policy file given by an operator; fails naming it and the problem. */
    static ReleasePolicy parse(Path source)
    {
        String text;
        try {
            text = Files.readString(source, StandardCharsets.UTF_8);
        }
        catch (NoSuchFileException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "release policy file " + source + " does not exist");
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read release policy file " + source + ": " + e.getMessage(), e);
        }
        try {
            return ReleasePolicy.fromJson(text);
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "release policy file " + source + " is invalid: " + e.getMessage(), e);
        }
    }
}
