package org.vigie.node.exchange;

import org.vigie.exchange.service.ExchangeConfig;
import org.vigie.node.cli.CommandContext;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "identity", mixinStandardHelpOptions = true, description = "This node's exchange identity.")
final class IdentityCommand
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (show)");
    }

    @CommandLine.Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print what partners need to add this node: its STIX identity id, its public signing key (JWK) and its TLS certificate's SHA-256. Creates the identity on first use.")
    static final class Show
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        ExchangeDataDirectory dataDirectory;

        Show(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            ExchangeSettings settings = ExchangeSettings.fromProperties(dataDirectory.properties());
            try (ExchangeStorage storage = dataDirectory.open(context)) {
                NodeIdentity identity = storage.identity();
                context.out().println("identity: " + identity.identityId());
                context.out().println("signing key: " + identity.publicKey().toJSONString());
                ExchangeConfig config = settings.config();
                if (config.keystore().isPresent()) {
                    Path keystore = config.keystore().get();
                    String fingerprint = Certificates.fingerprint(Certificates.fromKeystore(keystore, config.keystorePassword().orElseThrow(), ExchangeConfig.KEYSTORE));
                    context.out().println("certificate sha256: " + fingerprint + " (" + keystore + ")");
                }
                else {
                    context.out().println("certificate sha256: none (set http.tls.keystore or exchange.tls.keystore in vigie.properties; partners pin that certificate)");
                }
                return 0;
            }
        }
    }
}
