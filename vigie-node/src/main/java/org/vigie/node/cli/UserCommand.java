package org.vigie.node.cli;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.ObjectStore;
import org.vigie.store.UserAccount;
import org.vigie.taxii.auth.UserAdministration;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "user", mixinStandardHelpOptions = true, description = "Manage users of the HTTP API.")
final class UserCommand
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (add)");
    }

    @CommandLine.Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Create a user with read and write rights on collections.",
                    "The password is read from the first line of standard input with --password-stdin (never from the command line); without it, one is generated and printed once."})
    static final class Add
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        DataDirectoryOption dataDirectory;

        @CommandLine.Parameters(index = "0", paramLabel = "NAME", description = "User name.")
        String name;

        @CommandLine.Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordFromStandardInput;

        @CommandLine.Option(names = "--read", split = ",", paramLabel = "ID|*", description = "Collections the user may read ('*' for all); repeatable.")
        List<String> read = new ArrayList<>();

        @CommandLine.Option(names = "--write", split = ",", paramLabel = "ID|*", description = "Collections the user may write ('*' for all); repeatable.")
        List<String> write = new ArrayList<>();

        @CommandLine.Option(names = "--admin", description = "Make the user an administrator (every right).")
        boolean administrator;

        @CommandLine.Option(names = "--token", description = "Also issue an API bearer token, printed once.")
        boolean token;

        Add(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            String password = passwordFromStandardInput ? readPassword() : generatePassword();
            try (ObjectStore store = context.openStore(dataDirectory.load())) {
                for (String collectionId : concatenate(read, write)) {
                    if (!collectionId.equals(UserAccount.ALL_COLLECTIONS) && store.findCollection(collectionId).isEmpty()) {
                        throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "cannot grant rights on collection " + collectionId + ": it does not exist in " + dataDirectory.dataDirectory);
                    }
                }
                if (store.findUser(name).isPresent()) {
                    throw new VigieException(ErrorCode.USER_EXISTS, "user '" + name + "' already exists in " + dataDirectory.dataDirectory);
                }
                UserAdministration administration = new UserAdministration(store, context.hasher(), context.clock());
                administration.createUser(name, password, List.copyOf(read), List.copyOf(write), administrator);
                context.out().println("user " + name + " created (read: " + describe(read) + ", write: " + describe(write) + (administrator ? ", administrator" : "") + ")");
                if (!passwordFromStandardInput) {
                    context.out().println("Password: " + password);
                }
                if (token) {
                    context.out().println("Token: " + administration.createToken(name).token());
                }
            }
            return Main.OK;
        }

        private String readPassword()
        {
            String line;
            try {
                line = new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8)).readLine();
            }
            catch (IOException e) {
                throw new VigieException(ErrorCode.IO_ERROR, "cannot read the password of user '" + name + "' from standard input: " + e.getMessage(), e);
            }
            if (line == null || line.isEmpty()) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "--password-stdin: standard input has no password for user '" + name + "' (an empty first line)");
            }
            return line;
        }

        private static String generatePassword()
        {
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }

        private static List<String> concatenate(List<String> first, List<String> second)
        {
            List<String> all = new ArrayList<>(first);
            all.addAll(second);
            return all;
        }

        private static String describe(List<String> collections)
        {
            return collections.isEmpty() ? "none" : String.join(",", collections);
        }
    }
}
