package dev.atelier.cli;

import picocli.CommandLine;

/**
 * Turns exceptions into one clear line on stderr (the message is written for users); the stack
 * trace is printed only with {@code ATELIER_DEBUG=1}.
 */
final class FriendlyErrors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, CommandLine.ParseResult parseResult) {
        Throwable root = ex;
        while (root.getMessage() == null && root.getCause() != null) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        cli.getErr().println("error: " + msg);
        if ("1".equals(System.getenv("ATELIER_DEBUG"))) {
            ex.printStackTrace(cli.getErr());
        } else {
            cli.getErr().println("(set ATELIER_DEBUG=1 for the stack trace)");
        }
        return 1;
    }
}
