/**
 * The {@code glimpse} command line (picocli): one {@code Callable<Integer>} command per verb, option
 * mixins that build the config records, and the error handling that turns bad input into one line and
 * exit code 2. Also what every verb shares: one meaning per option name ({@link ai.glimpse.cli.LegacyOptions}
 * keeps the old names), help laid out to be wrapped only at spaces ({@link ai.glimpse.cli.HelpText}),
 * outputs checked before work and {@code -} for standard output ({@link ai.glimpse.cli.Outputs},
 * {@link ai.glimpse.cli.JsonLines}), and the progress bar on stderr ({@link ai.glimpse.cli.ConsoleProgress},
 * {@link ai.glimpse.cli.Terminal}). No model or data logic lives here.
 */
package ai.glimpse.cli;
