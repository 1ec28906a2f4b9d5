package dev.bakehouse.server.cli;

import picocli.CommandLine;

/** {@code --version}: the jar's version, or "development" when run from classes. */
final class Versions implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Versions.class.getPackage().getImplementationVersion();
        return new String[] {"bakehouse " + (version == null ? "development" : version)};
    }
}
