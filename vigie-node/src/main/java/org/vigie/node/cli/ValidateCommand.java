package org.vigie.node.cli;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.node.transfer.ObjectCheck;
import org.vigie.node.transfer.ObjectChecks;
import org.vigie.stix.BundleReader;
import org.vigie.stix.ParsedObject;
import org.vigie.stix.StixObject;
import org.vigie.stix.StixTypes;
import org.vigie.stix.json.StixJson;
import org.vigie.stix.validation.StixValidator;
import tools.jackson.databind.JsonNode;
import picocli.CommandLine;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check STIX documents against the STIX 2.1 specification; prints every violation, one per line, as FILE: OBJECT-ID: PROPERTY: RULE: MESSAGE.",
                "Exit code 0 when every file is valid, 2 when a file has violations or is not well-formed JSON, 1 when a file cannot be read."})
final class ValidateCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @CommandLine.Parameters(arity = "1..*", paramLabel = "FILE", description = "STIX bundles, arrays of objects or single objects.")
    List<Path> files;

    ValidateCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new VigieException(ErrorCode.IO_ERROR, "cannot validate " + file + ": no such file");
            }
        }
        DocumentValidation validation = DocumentValidation.create();
        long violations = 0;
        long objects = 0;
        for (Path file : files) {
            DocumentValidation.Result result = validation.validate(file);
            for (String line : result.violations()) {
                context.out().println(file + ": " + line);
            }
            violations += result.violations().size();
            objects += result.objects();
        }
        context.err().println(violations == 0
                ? "valid: " + objects + " objects in " + files.size() + (files.size() == 1 ? " file" : " files")
                : "invalid: " + violations + " violations in " + objects + " objects of " + files.size() + (files.size() == 1 ? " file" : " files"));
        return violations == 0 ? Main.OK : Main.INVALID_INPUT;
    }

    /**
     * Validates one document. A bundle of at most {@link #WHOLE_DOCUMENT_LIMIT} bytes is validated whole, so
     * that the bundle's own rules are checked too; larger documents, arrays and single objects are
     * validated object by object, in constant memory.
     */
    record DocumentValidation(ObjectCheck check, StixValidator validator)
    {
        static final long WHOLE_DOCUMENT_LIMIT = 64L << 20;

        record Result(long objects, List<String> violations)
        {
            Result
            {
                violations = List.copyOf(violations);
            }
        }

        DocumentValidation
        {
            requireNonNull(check, "check is null");
            requireNonNull(validator, "validator is null");
        }

        static DocumentValidation create()
        {
            return new DocumentValidation(ObjectChecks.strictSpecification(), StixValidator.create());
        }

        Result validate(Path file)
        {
            try {
                if (Files.size(file) <= WHOLE_DOCUMENT_LIMIT) {
                    JsonNode document;
                    try {
                        document = StixJson.parse(Files.readString(file, StandardCharsets.UTF_8));
                    }
                    catch (VigieException e) {
                        return new Result(0, List.of("-: -: json: " + e.getMessage()));
                    }
                    if (document.isObject() && StixTypes.BUNDLE_TYPE.equals(document.path("type").asString(null))) {
                        List<String> violations = new ArrayList<>();
                        validator.validateBundle(document).forEach(violation -> violations.add(violation.toString()));
                        JsonNode objects = document.path("objects");
                        if (violations.isEmpty()) {
                            objects.forEach(object -> headerProblem(object, object.toString()).ifPresent(violations::add));
                        }
                        return new Result(objects.size(), violations);
                    }
                }
            }
            catch (IOException e) {
                throw new VigieException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
            }
            return validateStreaming(file);
        }

        private Result validateStreaming(Path file)
        {
            List<String> violations = new ArrayList<>();
            long objects = 0;
            try (BundleReader reader = BundleReader.open(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                while (reader.hasNext()) {
                    ParsedObject parsed = reader.next();
                    objects++;
                    List<String> problems = check.check(parsed.tree()).errors();
                    violations.addAll(problems);
                    if (problems.isEmpty()) {
                        headerProblem(parsed.tree(), parsed.json()).ifPresent(violations::add);
                    }
                }
            }
            catch (VigieException e) {
                violations.add("-: -: " + (e.errorCode() == ErrorCode.INVALID_JSON ? "json" : "document") + ": " + e.getMessage());
            }
            catch (IOException e) {
                throw new VigieException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
            }
            return new Result(objects, violations);
        }

        // What the store needs beyond the specification's rules: a readable header.
        private static Optional<String> headerProblem(JsonNode object, String json)
        {
            try {
                StixObject.fromTree(object, json);
                return Optional.empty();
            }
            catch (VigieException e) {
                String id = object.path("id").isString() ? object.get("id").asString() : "-";
                return Optional.of(id + ": -: header: " + e.getMessage());
            }
        }
    }
}
