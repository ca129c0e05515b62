package org.vigie.node.cli;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.node.generate.StixGenerator;
import picocli.CommandLine;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write a bundle of realistic synthetic STIX 2.1 (actors, intrusion sets, campaigns, malware, indicators, relationships, sightings, reports); the same seed gives the same bundle.")
final class GenerateCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @CommandLine.Option(names = "--objects", defaultValue = "1000", paramLabel = "N", description = "Number of objects (default: ${DEFAULT-VALUE}).")
    long objects;

    @CommandLine.Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Option(names = "--start", defaultValue = "2024-01-01T00:00:00Z", description = "Timestamp of the first object (default: ${DEFAULT-VALUE}).")
    String start;

    @CommandLine.Option(names = {"--output", "-o"}, paramLabel = "FILE", description = "Write to this file instead of standard output.")
    Path output;

    GenerateCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        if (objects < 0) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "--objects must not be negative, was " + objects);
        }
        Instant startInstant;
        try {
            startInstant = Instant.parse(start);
        }
        catch (DateTimeParseException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "--start '" + start + "' is not a UTC timestamp such as 2024-01-01T00:00:00Z");
        }
        StixGenerator generator = StixGenerator.create(seed, startInstant);
        try {
            if (output == null) {
                generator.writeBundle(context.out(), objects);
                context.out().flush();
            }
            else {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
                    generator.writeBundle(out, objects);
                }
            }
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot write generated bundle to " + (output == null ? "standard output" : output) + ": " + e.getMessage(), e);
        }
        return Main.OK;
    }
}
