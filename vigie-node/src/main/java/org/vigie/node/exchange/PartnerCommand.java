package org.vigie.node.exchange;

import com.nimbusds.jose.jwk.OctetKeyPair;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.node.cli.CommandContext;
import picocli.CommandLine;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "partner", mixinStandardHelpOptions = true, description = "Manage the partner nodes this node exchanges with.")
final class PartnerCommand
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (add, list, remove)");
    }

    @CommandLine.Command(name = "add", mixinStandardHelpOptions = true,
            description = "Register a partner (or replace it): pins its TLS certificate's SHA-256 and its Ed25519 signing key; recorded in the audit ledger.")
    static final class Add
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        ExchangeDataDirectory dataDirectory;

        @CommandLine.Option(names = "--name", required = true, description = "Partner name used in every other command (letters, digits, '.', '_', '-').")
        String name;

        @CommandLine.Option(names = "--title", description = "Readable name of the partner's organisation (default: the name).")
        String title;

        @CommandLine.Option(names = "--identity", required = true, description = "STIX identity id of the partner's organisation (identity--...).")
        String identity;

        @CommandLine.Option(names = "--endpoint", required = true, description = "The partner node's base URL (https://host:port/).")
        String endpoint;

        @CommandLine.Option(names = "--certificate", required = true, paramLabel = "FILE.pem", description = "The partner's TLS certificate (PEM or DER); its SHA-256 is pinned.")
        Path certificate;

        @CommandLine.Option(names = "--signing-key", required = true, paramLabel = "FILE.jwk", description = "The partner's public Ed25519 signing key, a JWK (from its 'vigie identity show').")
        Path signingKey;

        Add(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            URI uri = PartnerAdministration.endpoint(name, endpoint, "--endpoint");
            String fingerprint = Certificates.fingerprint(Certificates.read(certificate, "partner " + name + ": --certificate"));
            OctetKeyPair key = signingKey(name, signingKey);
            if (key.isPrivate()) {
                context.err().println("vigie: warning: " + signingKey + " holds a private key; only its public part is kept. The partner should create a new key, since its private key was shared.");
            }
            Partner partner = new Partner(name, title == null ? name : title, identity, uri, fingerprint, key);
            try (ExchangeStorage storage = dataDirectory.open(context)) {
                boolean replaced = storage.registry().partner(name).isPresent();
                storage.registry().putPartner(partner);
                context.out().println((replaced ? "changed partner " : "added partner ") + partner.id() + " (" + partner.identityId() + ") at " + partner.endpoint()
                        + ", certificate sha256 " + partner.certificateSha256() + ", signing key " + keyDescription(partner.signingKey()));
                return 0;
            }
        }
    }

    @CommandLine.Command(name = "list", mixinStandardHelpOptions = true,
            description = "One line per partner: name, identity, endpoint, certificate sha256, signing key id, groups, title.")
    static final class ListPartners
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        ExchangeDataDirectory dataDirectory;

        ListPartners(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            try (ExchangeStorage storage = dataDirectory.openExisting(context)) {
                PartnerRegistry registry = storage.registry();
                for (Partner partner : registry.partners()) {
                    context.out().println(String.join("\t", partner.id(), partner.identityId(), partner.endpoint().toString(), partner.certificateSha256(),
                            keyDescription(partner.signingKey()), "groups=" + String.join(",", registry.groupIdsOf(partner.id())), partner.name()));
                }
                return 0;
            }
        }
    }

    @CommandLine.Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a partner and its group memberships (a group left without members is removed); recorded in the audit ledger.")
    static final class Remove
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        ExchangeDataDirectory dataDirectory;

        @CommandLine.Option(names = "--name", required = true, description = "The partner's name.")
        String name;

        Remove(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            try (ExchangeStorage storage = dataDirectory.openExisting(context)) {
                PartnerRegistry registry = storage.registry();
                registry.requirePartner(name);
                registry.removePartner(name);
                context.out().println("removed partner " + name);
                return 0;
            }
        }
    }

    static String keyDescription(OctetKeyPair key)
    {
        return key.getKeyID() != null ? "kid " + key.getKeyID() : "x " + key.getX();
    }

    private static OctetKeyPair signingKey(String name, Path file)
    {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (NoSuchFileException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "partner " + name + ": --signing-key " + file + ": no such file");
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "partner " + name + ": --signing-key " + file + ": cannot read it: " + e.getMessage(), e);
        }
        return PartnerAdministration.signingKey(name, text, "--signing-key " + file);
    }
}
