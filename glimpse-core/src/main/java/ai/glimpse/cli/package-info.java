/**
 * The {@code glimpse} command line (picocli): one {@code Callable<Integer>} command per verb, option
 * mixins that build the config records, and the error handling that turns bad input into one line and
 * exit code 2. No model or data logic lives here.
 */
package ai.glimpse.cli;
