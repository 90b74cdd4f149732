package io.jenkins.plugins.mlstages.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.jenkins.plugins.mlstages.data.DataFormatException;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.gate.GateException;
import io.jenkins.plugins.mlstages.gate.RuleSyntaxException;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.registry.RegistryException;
import io.jenkins.plugins.mlstages.report.Printable;
import io.jenkins.plugins.mlstages.report.ReportInputException;
import io.jenkins.plugins.mlstages.report.Secrets;
import io.jenkins.plugins.mlstages.report.Spelling;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.UnusableFileException;
import io.jenkins.plugins.mlstages.table.SqlEngines;
import io.jenkins.plugins.mlstages.table.TableSourceException;
import io.jenkins.plugins.mlstages.registry.UnauthorizedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code mlstages} command. Every failure a user can cause or meet ends in one line on stderr
 * and the exit code of the CLI contract, never in a stack trace.
 */
@Command(name = "mlstages", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "ML delivery stages for any CI: validate data, evaluate and gate models, register and deploy them.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:passed (warnings allowed)",
            "1:the stage's verdict is FAILED",
            "2:bad usage or bad input",
            "3:registry or infrastructure error"})
public final class Main implements Runnable {
    private final Map<String, String> environment;
    private StageLog log;

    @Spec
    CommandSpec spec;

    Main(Map<String, String> environment) {
        this.environment = environment;
    }

    Map<String, String> environment() {
        return environment;
    }

    /** Progress and messages of the stages, on stderr. */
    StageLog log() {
        return log;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit code; the seam the tests use. */
    static int run(String[] args, Map<String, String> env, PrintWriter stdout, PrintWriter stderr) {
        rememberCredentials(env);
        // everything the CLI prints, picocli's messages included, without a credential
        PrintWriter out = new PrintWriter(new RedactingWriter(stdout), true);
        PrintWriter err = new PrintWriter(new RedactingWriter(stderr), true);
        try {
            return execute(args, env, out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Every credential the CLI takes from its environment is known to the redactor before anything
     * runs: a server's error text, a log line, a report or the state file never shows one, whichever
     * command reads it.
     */
    static void rememberCredentials(Map<String, String> env) {
        Secrets.remember(Secrets.basic(env.get(RegistryConfig.TRACKING_USERNAME), env.get(RegistryConfig.TRACKING_PASSWORD)));
        Secrets.remember(Secrets.bearer(env.get(RegistryConfig.TRACKING_TOKEN)));
        Secrets.remember(Secrets.bearer(env.get(CanaryCommand.ROUTER_TOKEN)));
        Secrets.remember(Secrets.bearer(env.get(CanaryCommand.PROMETHEUS_TOKEN)));
        Secrets.remember(Secrets.basic(env.get(SqlEngines.JDBC_USER), env.get(SqlEngines.JDBC_PASSWORD)));
        Secrets.remember(Secrets.bearer(env.get(SqlEngines.SPARK_TOKEN)));
        String sparkRemote = env.get(TableSourceOptions.SPARK_REMOTE_ENV);
        if (sparkRemote != null) {
            Secrets.remember(Secrets.bearer(SqlEngines.urlSecret(sparkRemote)));
        }
    }

    private static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        Main main = new Main(env);
        main.log = new StderrLog(err, System.console() != null && env.get("CI") == null);
        CommandLine commandLine = new CommandLine(main);
        commandLine.addSubcommand(new ValidateDataCommand(main));
        commandLine.addSubcommand(new EvaluateCommand(main));
        commandLine.addSubcommand(new GateCommand(main));
        commandLine.addSubcommand(new RegisterCommand(main));
        commandLine.addSubcommand(new LineageCommand(main));
        commandLine.addSubcommand(new CanaryCommand(main));
        commandLine.addSubcommand(new ShadowCommand(main));
        commandLine.addSubcommand(new BlueGreenCommand(main));
        commandLine.addSubcommand(new ShadowCaptureCommand());
        commandLine.addSubcommand(new CompareCommand());
        commandLine.addSubcommand(new ReportCommand(main));
        commandLine.addSubcommand(new CommandLine(new RegistryCommand())
                .addSubcommand(new RegistryCheckCommand(main)));
        // No @file expansion: '--rule @/etc/shadow' is the text of a rule, never a file read into the command line.
        commandLine.setExpandAtFiles(false);
        commandLine.setOut(out).setErr(err)
                .setExitCodeExceptionMapper(Main::exitCode)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // A syntax error's lines (rule, caret) are meant and escaped already; any other message is one line.
                    cmd.getErr().println("mlstages: " + (e instanceof RuleSyntaxException ? e.getMessage() : Printable.escape(message(e))));
                    cmd.getErr().flush();
                    return exitCode(e);
                })
                .setParameterExceptionHandler((e, args1) -> {
                    CommandLine cmd = e.getCommandLine();
                    if (!(e instanceof CommandLine.UnmatchedArgumentException) && !cmd.getUnmatchedArguments().isEmpty()) {
                        // A misspelt required option shows as missing: name the word that was not understood instead.
                        e = new CommandLine.UnmatchedArgumentException(cmd, cmd.getUnmatchedArguments());
                    }
                    cmd.getErr().println("mlstages: " + Printable.escape(e.getMessage()) + suggestion(e) + " (see '"
                            + cmd.getCommandSpec().qualifiedName() + " --help')");
                    cmd.getErr().flush();
                    return ExitCode.USAGE;
                });
        return commandLine.execute(args);
    }

    /**
     * "; did you mean '--reference'?" for a misspelt option or command: the closest name by edit distance,
     * or the one the word begins (validate: validate-data); empty when none is close.
     */
    static String suggestion(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException) || e.getCommandLine() == null) {
            return "";
        }
        List<String> unmatched = ((CommandLine.UnmatchedArgumentException) e).getUnmatched();
        if (unmatched.isEmpty() || unmatched.get(0) == null) {
            return "";
        }
        String word = unmatched.get(0);
        int equals = word.indexOf('=');
        if (word.startsWith("-") && equals > 0) {
            word = word.substring(0, equals);
        }
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        Collection<String> names = word.startsWith("-") ? spec.optionsMap().keySet() : spec.subcommands().keySet();
        String prefixed = word;
        Optional<String> best = word.length() >= 3
                ? names.stream().filter(name -> name.startsWith(prefixed)).findFirst() : Optional.empty();
        if (best.isEmpty()) {
            best = Spelling.closest(word, names);
        }
        return best.map(name -> "; did you mean '" + name + "'?").orElse("");
    }

    static int exitCode(Throwable e) {
        if (e instanceof RegistryException || e instanceof DeployException) {
            return ExitCode.INFRASTRUCTURE;
        }
        if (e instanceof TableSourceException t) {
            return t.isInfrastructure() ? ExitCode.INFRASTRUCTURE : ExitCode.USAGE;
        }
        return ExitCode.USAGE;
    }

    private static String message(Throwable e) {
        if (e instanceof UnauthorizedException) {
            return "the registry refused the credentials: " + e.getMessage();
        }
        if (e instanceof RegistryException || e instanceof DeployException || e instanceof IllegalArgumentException
                || e instanceof DataFormatException || e instanceof GateException || e instanceof ReportInputException
                || e instanceof TableSourceException) {
            return e.getMessage();
        }
        if (e instanceof UnusableFileException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException) {
            return ((NoSuchFileException) e).getFile() + ": does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return ((AccessDeniedException) e).getFile() + ": permission denied";
        }
        if (e instanceof IOException) {
            return "cannot read or write a file: " + e.getMessage();
        }
        // Not a user mistake: still one line, with the type so that it can be reported.
        return "internal error: " + e;
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** {@code mlstages --version}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"mlstages " + version(), "Java " + System.getProperty("java.version")};
        }
    }
}
